namespace Edge.Actors.Abstractions;

/// <summary>How bad a fault is, most severe first (StarlingX's critical, major, minor, warning).</summary>
public enum AlarmSeverity
{
    Critical,
    Major,
    Minor,
    Warning,
}
