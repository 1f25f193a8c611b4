using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Tests.Domain;

/// <summary>Builds a state by folding events, as activation would, and applies a decision's events to it.</summary>
internal static class Given
{
    public static T State<T>(params IDomainEvent[] history)
        where T : AggregateState, new()
    {
        var state = new T();
        foreach (var e in history)
        {
            state.Apply(e);
        }

        return state;
    }

    public static T Then<T>(this T state, Decision decision)
        where T : AggregateState
    {
        Assert.Null(decision.Refusal);
        foreach (var e in decision.Events)
        {
            state.Apply(e);
        }

        return state;
    }

    public static Refusal Refused(this Decision decision, EdgeErrorCode code)
    {
        Assert.Empty(decision.Events);
        var refusal = Assert.IsType<Refusal>(decision.Refusal);
        Assert.Equal(code, refusal.Code);
        return refusal;
    }
}
