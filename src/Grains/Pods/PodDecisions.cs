using Edge.Actors.Abstractions;
using Edge.Actors.Grains.Common;

namespace Edge.Actors.Grains.Pods;

/// <summary>The pod's rules as pure functions.</summary>
internal static class PodDecisions
{
    public static Refusal? CheckCreate(PodState state, string ns, string name, CreatePod command)
    {
        if (Commands.CheckRequestId(command.RequestId) is { } badRequest)
        {
            return badRequest;
        }

        if (state.HasSeen(command.RequestId))
        {
            return null;
        }

        if (ResourceNames.CheckName(ns, "namespace") is { } badNamespace)
        {
            return badNamespace;
        }

        if (ResourceNames.CheckName(name, "name") is { } badName)
        {
            return badName;
        }

        if (command.MilliCpu < 1)
        {
            return new Refusal(EdgeErrorCode.InvalidArgument, "a pod requests at least 1 millicore", "milli_cpu");
        }

        if (command.MemoryMiB < 1)
        {
            return new Refusal(EdgeErrorCode.InvalidArgument, "a pod requests at least 1 MiB of memory", "memory_mib");
        }

        if (command.Owner is not null && ResourceNames.CheckName(command.Owner, "owner") is { } badOwner)
        {
            return badOwner;
        }

        return state.IsLive ? new Refusal(EdgeErrorCode.AlreadyExists, $"pod {ns}/{name} already exists", "name") : null;
    }

    /// <summary>Records a pod the scheduler bound to <paramref name="node"/>: pending, then running.</summary>
    public static Decision Create(PodState state, string site, string ns, string name, CreatePod command, string node)
    {
        if (CheckCreate(state, ns, name, command) is { } refusal)
        {
            return refusal;
        }

        return state.HasSeen(command.RequestId)
            ? Decision.Nothing
            : Commands.Accepted(
                command.RequestId,
                new PodCreated(site, ns, name, Requests(command), command.Owner, node),
                new PodPhaseChanged(PodPhase.Running, $"scheduled on {node}"));
    }

    public static Decision Delete(PodState state, string requestId)
    {
        if (Commands.CheckRequestId(requestId) is { } badRequest)
        {
            return badRequest;
        }

        if (state.HasSeen(requestId))
        {
            return Decision.Nothing;
        }

        return state.IsLive
            ? Commands.Accepted(requestId, new PodDeleted())
            : Decision.Refuse(EdgeErrorCode.NotFound, "pod does not exist", "name");
    }

    public static Decision Reschedule(PodState state, string toNode) =>
        state.IsLive && state.Node != toNode ? Decision.Accept(new PodRescheduled(state.Node, toNode)) : Decision.Nothing;

    public static Decision Evict(PodState state, string reason) =>
        state.IsLive && state.Phase != PodPhase.Failed ? Decision.Accept(new PodPhaseChanged(PodPhase.Failed, reason)) : Decision.Nothing;

    public static Resources Requests(CreatePod command) => new(command.MilliCpu, command.MemoryMiB, 0);
}
