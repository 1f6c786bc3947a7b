using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// Task: the Resource ARN, static or path timeouts and heartbeats (a heartbeat shorter than the timeout),
/// and the fields every recoverable state has.
/// </summary>
internal sealed class TaskStateLoader : IStateLoader
{
    public string Type => "Task";

    public IReadOnlySet<string> Fields { get; } = new HashSet<string>(StringComparer.Ordinal) { "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Retry", "Catch", "Credentials", "Assign" };

    public State? Load(StateHeader header, JObject o, string location, LoadContext context)
    {
        var resource = o.GetString("Resource");
        if (resource is null)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Resource]", location);
        }
        else if (!resource.StartsWith("arn:", StringComparison.Ordinal) || resource.Split(':').Length < 6)
        {
            context.Error("INVALID_RESOURCE", $"The resource '{resource}' is not a valid ARN", $"{location}/Resource");
        }

        var timeout = o.TryGet("TimeoutSeconds", out var ts) ? context.PositiveInteger(ts, "TimeoutSeconds", $"{location}/TimeoutSeconds", allowZero: false) : null;
        var heartbeat = o.TryGet("HeartbeatSeconds", out var hb) ? context.PositiveInteger(hb, "HeartbeatSeconds", $"{location}/HeartbeatSeconds", allowZero: false) : null;
        var timeoutPath = context.ReferencePathOf(o, "TimeoutSecondsPath", location);
        var heartbeatPath = context.ReferencePathOf(o, "HeartbeatSecondsPath", location);
        if (timeout is not null && timeoutPath is not null)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'TimeoutSeconds' or 'TimeoutSecondsPath' can be set", location);
        }

        if (heartbeat is not null && heartbeatPath is not null)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "Only one of 'HeartbeatSeconds' or 'HeartbeatSecondsPath' can be set", location);
        }

        if (timeout is not null && heartbeat is not null && heartbeat >= timeout)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'", $"{location}/HeartbeatSeconds");
        }

        return new TaskState
        {
            Name = header.Name, Type = header.Type, Next = header.Next, End = header.End, InputPath = header.InputPath, OutputPath = header.OutputPath, Assign = header.Assign,
            Resource = resource ?? string.Empty,
            ResultPath = context.PathFieldOf(o, "ResultPath", location, referenceOnly: true),
            Parameters = context.TemplateOf(o, "Parameters", location),
            ResultSelector = context.TemplateOf(o, "ResultSelector", location),
            TimeoutSeconds = timeout,
            TimeoutSecondsPath = timeoutPath,
            HeartbeatSeconds = heartbeat,
            HeartbeatSecondsPath = heartbeatPath,
            Retry = RetryCatchLoader.Retriers(context, o, location),
            Catch = RetryCatchLoader.Catchers(context, o, location),
        };
    }
}
