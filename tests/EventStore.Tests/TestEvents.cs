namespace Edge.Actors.EventStore.Tests;

internal sealed record CounterIncremented(int Amount);

internal sealed record CounterRenamed(string Name, string Reason);

/// <summary>A fold small enough to compare snapshot + tail with a full replay.</summary>
internal sealed class CounterState
{
    public int Total { get; set; }

    public int Increments { get; set; }

    public string Name { get; set; } = string.Empty;

    public void Apply(object domainEvent)
    {
        switch (domainEvent)
        {
            case CounterIncremented e:
                Total += e.Amount;
                Increments++;
                break;
            case CounterRenamed e:
                Name = e.Name;
                break;
        }
    }
}
