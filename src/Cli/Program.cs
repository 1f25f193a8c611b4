// edgectl owns the command line of the Edge.Actors gRPC API: a command per resource and verb, tables or JSON out, and exit codes scripts can rely on.
using Edge.Actors.Cli;

return await EdgeCtl.RunAsync(args);
