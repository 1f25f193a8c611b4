using Edge.Actors.Abstractions;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Edge.Actors.Gateway.Errors;

/// <summary>Throw helpers that turn a refusal into an <see cref="RpcException"/> with a precise status (and the field, for bad input).</summary>
internal static class GrpcErrors
{
    public static RpcException InvalidArgument(string field, string message) => WithStatus(Code.InvalidArgument, message, field);

    public static RpcException From(EdgeException refusal) => refusal.Code switch
    {
        EdgeErrorCode.InvalidArgument => WithStatus(Code.InvalidArgument, refusal.Message, refusal.Field),
        EdgeErrorCode.NotFound => WithStatus(Code.NotFound, refusal.Message, refusal.Field),
        EdgeErrorCode.AlreadyExists => WithStatus(Code.AlreadyExists, refusal.Message, refusal.Field),
        EdgeErrorCode.Aborted => WithStatus(Code.Aborted, refusal.Message, refusal.Field),
        EdgeErrorCode.Unavailable => WithStatus(Code.Unavailable, refusal.Message, refusal.Field),
        _ => WithStatus(Code.FailedPrecondition, refusal.Message, refusal.Field),
    };

    private static RpcException WithStatus(Code code, string message, string? field)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        if (field is not null)
        {
            status.Details.Add(Any.Pack(new BadRequest
            {
                FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = message } },
            }));
        }

        return status.ToRpcException();
    }
}
