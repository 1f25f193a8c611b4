namespace Edge.Actors.Grains.Devices;

/// <summary>The last <c>capacity</c> ids seen, oldest forgotten first: a bounded memory for recognising redeliveries.</summary>
internal sealed class RecentIds(int capacity)
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>Whether <paramref name="id"/> was seen recently; an empty id is never a repeat (nothing identifies it).</summary>
    public bool Contains(string? id) => !string.IsNullOrEmpty(id) && _ids.Contains(id);

    public void Add(string? id)
    {
        if (string.IsNullOrEmpty(id) || !_ids.Add(id))
        {
            return;
        }

        _order.Enqueue(id);
        if (_order.Count > capacity)
        {
            _ids.Remove(_order.Dequeue());
        }
    }

    public void Clear()
    {
        _ids.Clear();
        _order.Clear();
    }

    public int Count => _ids.Count;
}
