namespace Edge.Actors.Abstractions;

/// <summary>Why a command was refused; the gateway maps each to its gRPC status.</summary>
public enum EdgeErrorCode
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    FailedPrecondition,
    Aborted,

    /// <summary>The event store could not be reached: nothing is known to have changed; retry with the same request id.</summary>
    Unavailable,
}

/// <summary>A refused command: nothing was changed. <see cref="Field"/> names the offending field of bad input.</summary>
[GenerateSerializer, Alias("edge.error")]
public sealed class EdgeException : Exception
{
    public EdgeException()
    {
    }

    public EdgeException(string message)
        : base(message)
    {
    }

    public EdgeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EdgeException(EdgeErrorCode code, string message, string? field = null)
        : base(message)
    {
        Code = code;
        Field = field;
    }

    [Id(0)]
    public EdgeErrorCode Code { get; init; }

    [Id(1)]
    public string? Field { get; init; }
}

/// <summary>A refusal before it is thrown, so that decisions stay pure and testable.</summary>
[GenerateSerializer, Immutable, Alias("edge.refusal")]
public sealed record Refusal([property: Id(0)] EdgeErrorCode Code, [property: Id(1)] string Message, [property: Id(2)] string? Field = null)
{
    public EdgeException ToException() => new(Code, Message, Field);
}
