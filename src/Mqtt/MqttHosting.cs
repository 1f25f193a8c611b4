// Edge.Actors.Mqtt owns the MQTT bridge: EdgeX device events in, host heartbeats in, platform events out, on an
// embedded broker or an external one such as Mosquitto.
using Edge.Actors.Abstractions;
using Edge.Actors.Mqtt.Bridge;
using Microsoft.Extensions.DependencyInjection;

namespace Edge.Actors.Mqtt;

public static class MqttHosting
{
    /// <summary>Co-hosts the bridge (and, unless an external broker is configured, the embedded broker) in this process.</summary>
    public static IServiceCollection AddEdgeMqtt(this IServiceCollection services, MqttSettings settings)
    {
        services.AddSingleton(settings);
        services.AddPulseRelay();
        services.AddHostedService<MqttBridgeService>();
        return services;
    }
}
