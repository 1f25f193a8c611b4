using System.Net;
using System.Net.Sockets;

namespace Edge.Actors.TestSupport;

/// <summary>Free ports on the loopback address for the servers tests and benchmarks start.</summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A free port whose successor is free too: the gateway serves its HTTP/JSON view on port + 1.</summary>
    public static int FreePair()
    {
        while (true)
        {
            var port = Free();
            try
            {
                using var next = new TcpListener(IPAddress.Loopback, port + 1);
                next.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: draw another.
            }
        }
    }
}
