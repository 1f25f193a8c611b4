using Edge.Actors.Abstractions;

namespace Edge.Actors.Grains.Common;

/// <summary>What every aggregate's state shares: the recent request ids, so a repeated command raises nothing new.</summary>
[GenerateSerializer]
public abstract class AggregateState
{
    /// <summary>How many request ids an aggregate remembers; a client retries within seconds, not after hundreds of commands.</summary>
    public const int RememberedRequests = 256;

    [Id(0)]
    public List<string> RecentRequests { get; set; } = [];

    public bool HasSeen(string requestId) => RecentRequests.Contains(requestId);

    /// <summary>Folds one event: deterministic, no I/O, never throws; events of other aggregates are ignored.</summary>
    public abstract void Apply(IDomainEvent domainEvent);

    public void Apply(RequestAccepted e) => Remember(e.RequestId);

    /// <summary>Records a request id carried by an event that is not a <see cref="RequestAccepted"/>.</summary>
    protected void Remember(string requestId)
    {
        RecentRequests.Add(requestId);
        if (RecentRequests.Count > RememberedRequests)
        {
            RecentRequests.RemoveAt(0);
        }
    }
}
