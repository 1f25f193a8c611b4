using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;

namespace Edge.Actors.Agent.Tests;

/// <summary>Lines written by the command under test, for tests to wait on.</summary>
internal sealed class LineLog : TextWriter
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StringBuilder _partial = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines => [.. _lines];

    public override void Write(char value)
    {
        lock (_partial)
        {
            if (value == '\n')
            {
                _lines.Enqueue(_partial.ToString().TrimEnd('\r'));
                _partial.Clear();
            }
            else
            {
                _partial.Append(value);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_partial)
        {
            _lines.Enqueue(_partial.Append(value).ToString());
            _partial.Clear();
        }
    }

    public override string ToString() => string.Join('\n', _lines);
}

/// <summary>Stdin fed line by line by the test; reading waits for the next line.</summary>
internal sealed class LineFeed : TextReader
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    public void Send(string line) => _lines.Writer.TryWrite(line);

    public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _lines.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }
}
