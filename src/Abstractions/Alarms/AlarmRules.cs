using System.Text.RegularExpressions;

namespace Edge.Actors.Abstractions;

/// <summary>The shape of alarm fields, checked by the alarm grain and at the edge of the API alike.</summary>
public static partial class AlarmRules
{
    public const int MaxEntityLength = 256;
    public const int MaxReasonLength = 512;
    public const int MaxRepairActionLength = 512;

    /// <summary>A refusal naming <paramref name="field"/> unless <paramref name="id"/> is an alarm or log id such as <c>200.004</c>.</summary>
    public static Refusal? CheckId(string? id, string field = "alarm_id") =>
        id is not null && IdPattern().IsMatch(id)
            ? null
            : new Refusal(EdgeErrorCode.InvalidArgument, string.IsNullOrEmpty(id) ? $"{field} is required" : $"{field} must be three digits, a dot and three digits, like 200.004; got '{id}'", field);

    /// <summary>A refusal unless <paramref name="entity"/> names what the alarm is about, such as <c>host=s-042/worker-3</c>.</summary>
    public static Refusal? CheckEntity(string? entity, string field = "entity_instance_id") =>
        string.IsNullOrWhiteSpace(entity) ? Invalid(field, $"{field} is required")
        : entity.Length > MaxEntityLength ? Invalid(field, $"{field} is longer than {MaxEntityLength} characters")
        : entity.Any(char.IsControl) ? Invalid(field, $"{field} must not contain control characters")
        : null;

    /// <summary>A refusal unless <paramref name="text"/> fits in <paramref name="max"/> characters (and is not blank, when <paramref name="required"/>).</summary>
    public static Refusal? CheckText(string? text, string field, int max, bool required) =>
        required && string.IsNullOrWhiteSpace(text) ? Invalid(field, $"{field} is required")
        : (text?.Length ?? 0) > max ? Invalid(field, $"{field} is longer than {max} characters")
        : null;

    public static Refusal? CheckSeverity(AlarmSeverity severity) =>
        Enum.IsDefined(severity) ? null : Invalid("severity", "severity must be critical, major, minor or warning");

    private static Refusal Invalid(string field, string message) => new(EdgeErrorCode.InvalidArgument, message, field);

    [GeneratedRegex(@"^\d{3}\.\d{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
