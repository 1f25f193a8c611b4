using Grpc.Core;

namespace Edge.Actors.Cli;

/// <summary>The process exit codes, one per kind of outcome a script may branch on.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    public const int AlreadyExists = 4;
    public const int FailedPrecondition = 5;
    public const int InvalidArgument = 6;
    public const int Denied = 7;
    public const int Unreachable = 8;

    public static int For(StatusCode code) => code switch
    {
        StatusCode.OK => Ok,
        StatusCode.NotFound => NotFound,
        StatusCode.AlreadyExists => AlreadyExists,
        StatusCode.FailedPrecondition => FailedPrecondition,
        StatusCode.InvalidArgument => InvalidArgument,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => Denied,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => Unreachable,
        _ => Failed,
    };
}
