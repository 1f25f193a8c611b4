using Edge.Actors.Abstractions;

namespace Edge.Actors.Gateway.Errors;

/// <summary>Checks of request fields at the edge of the API; each failure names the field.</summary>
internal static class Require
{
    public const int MaxText = 256;

    public static string Name(string? value, string field) =>
        ResourceNames.IsValidName(value)
            ? value!
            : throw GrpcErrors.InvalidArgument(field, string.IsNullOrEmpty(value)
                ? $"{field} is required"
                : $"{field} must be 1-63 lower-case letters, digits or inner dashes");

    public static string RequestId(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 128
            ? value
            : throw GrpcErrors.InvalidArgument("request_id", "request_id is required, 1-128 characters");

    public static string Text(string? value, string field, bool required = false)
    {
        if (required && string.IsNullOrWhiteSpace(value))
        {
            throw GrpcErrors.InvalidArgument(field, $"{field} is required");
        }

        return (value?.Length ?? 0) <= MaxText ? value ?? string.Empty : throw GrpcErrors.InvalidArgument(field, $"{field} is longer than {MaxText} characters");
    }

    public static string? OptionalName(string? value, string field) => string.IsNullOrEmpty(value) ? null : Name(value, field);

    /// <summary>A defined, non-zero proto enum value mapped to the domain's enum.</summary>
    public static TDomain Enum<TProto, TDomain>(TProto value, string field, Func<TProto, TDomain?> map)
        where TProto : struct, System.Enum
        where TDomain : struct, System.Enum =>
        map(value) is { } mapped ? mapped : throw GrpcErrors.InvalidArgument(field, $"{field} must be one of {string.Join(", ", System.Enum.GetNames<TProto>().Skip(1))}");

    public static int PageSize(Protos.Page? page) =>
        page?.PageSize switch
        {
            null or 0 => 100,
            < 0 or > 1000 => throw GrpcErrors.InvalidArgument("page.page_size", "page_size must be 0-1000"),
            var size => size.Value,
        };

    public static long Positive(long value, string field, long max) =>
        value > 0 && value <= max ? value : throw GrpcErrors.InvalidArgument(field, $"{field} must be 1-{max}");

    /// <summary>An alarm or log id such as <c>200.004</c>.</summary>
    public static string AlarmId(string? value, string field = "alarm_id") => Valid(value ?? string.Empty, AlarmRules.CheckId(value, field));

    /// <summary><paramref name="value"/>, unless a shared rule of the domain refused it: then INVALID_ARGUMENT naming the refusal's field.</summary>
    public static T Valid<T>(T value, Refusal? refusal) =>
        refusal is null ? value : throw GrpcErrors.InvalidArgument(refusal.Field ?? "request", refusal.Message);
}
