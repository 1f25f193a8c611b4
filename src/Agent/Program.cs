// edge-agent owns a host's membership in its site: registering the Linux host it runs on and streaming its pulses (heartbeats) to the gateway, or simulating a fleet of such hosts for fault drills.
using Edge.Actors.Agent;

return await EdgeAgent.RunAsync(args);
