namespace Edge.Actors.Abstractions;

/// <summary>The list of every site of the region, so that sites can be listed without scanning the event store. One grain, key <c>region</c>.</summary>
public interface ISiteDirectoryGrain : IGrainWithStringKey
{
    const string Key = "region";

    /// <summary>Adds a site to the list (idempotent).</summary>
    Task AddAsync(string siteId, CancellationToken cancellationToken = default);

    /// <summary>The site ids, in order.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default);
}
