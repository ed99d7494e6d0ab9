using System.Net;
using System.Net.Sockets;

namespace SealService.TestSupport;

public static class Loopback
{
    /// <summary>A loopback port free at this moment: the suite binds no fixed port, so it runs beside the README's service.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
