using System.Text.Json;

namespace BlueGreen.Functions.Reconcile;

/// <summary>
/// An execution's cause as an operator reads it, for a run record the reconciler closes. The upgrade names its own
/// failures before it ends (docs/workflow.md, "A function's failure"), but an ending it never handled (a States.Runtime
/// error, a timeout, a redrive that failed again) carries the raw cause: a decision function's error document
/// (<c>errorType</c>, <c>errorMessage</c>, <c>stackTrace</c>; https://docs.aws.amazon.com/lambda/latest/dg/csharp-exceptions.html)
/// or a failed child's DescribeExecution output (<c>Error</c>, <c>Cause</c>), possibly one inside the other. The
/// message is kept; the stack trace stays in the function's log.
/// </summary>
public static class FailureCause
{
    // A child inside a child inside the upgrade is as deep as the workflow nests; a few more levels cost nothing.
    private const int MaxUnwrapping = 8;

    public static string? Readable(string? cause)
    {
        for (var depth = 0; depth < MaxUnwrapping && cause is not null; depth++)
        {
            var inner = Inner(cause);
            if (inner is null)
            {
                return cause;
            }

            cause = inner;
        }

        return cause;
    }

    private static string? Inner(string cause)
    {
        var text = cause.TrimStart();
        if (!text.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("errorMessage", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString();
            }

            if (root.TryGetProperty("ExecutionArn", out _) && root.TryGetProperty("Cause", out var childCause) && childCause.ValueKind == JsonValueKind.String)
            {
                return childCause.GetString();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
