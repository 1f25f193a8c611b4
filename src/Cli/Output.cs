using Google.Protobuf;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Edge.Actors.Cli;

/// <summary>Writes results: Spectre.Console tables, or the API's message as protobuf JSON (every field, enum names).</summary>
internal sealed class Output
{
    private static readonly JsonFormatter Indented = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation("  "));
    private static readonly JsonFormatter Compact = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    private readonly Lazy<IAnsiConsole> _console = new(CreateConsole);

    public Output(OutputFormat format) => Format = format;

    public OutputFormat Format { get; }

    /// <summary>A result: <paramref name="message"/> as JSON, or the table <paramref name="table"/> renders.</summary>
    public void Show(IMessage message, Func<IRenderable> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (Format == OutputFormat.Json)
        {
            Console.Out.WriteLine(Indented.Format(message));
        }
        else
        {
            _console.Value.Write(table());
        }
    }

    /// <summary>A result whose table view is plain text, written as is (never wrapped to the terminal's width).</summary>
    public void Show(IMessage message, string text) =>
        Console.Out.WriteLine(Format == OutputFormat.Json ? Indented.Format(message) : text);

    /// <summary>One line per item of a stream: compact JSON, or <paramref name="text"/>.</summary>
    public void Line(IMessage message, Func<string> text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Console.Out.WriteLine(Format == OutputFormat.Json ? Compact.Format(message) : text());
    }

    private static IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            // Piped into a file or another program: no terminal width to fit, so rows stay whole.
            console.Profile.Width = 240;
        }

        return console;
    }
}
