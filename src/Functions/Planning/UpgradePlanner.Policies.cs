using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BlueGreen.Functions.Common;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.Planning;

// What happens around the traffic move: approvals, hooks, GitOps registration, and what becomes of Blue and of a failed
// run's Green, each read from the input with every problem named.
public static partial class UpgradePlanner
{
    private static ApprovalPlan? ReadApprovals(JsonFields? approvals, ProblemList problems)
    {
        if (approvals is null)
        {
            return new ApprovalPlan { BeforeTraffic = false, BeforeFinalize = false, TimeoutSeconds = DefaultApprovalTimeoutMinutes * 60 };
        }
        var before = approvals.Bool("beforeTraffic");
        var finalize = approvals.Bool("beforeFinalize");
        var timeout = approvals.Int("timeoutMinutes", 1, 10080);
        approvals.RejectUnknown();
        if ((before is null && approvals.Has("beforeTraffic")) || (finalize is null && approvals.Has("beforeFinalize"))
            || (timeout is null && approvals.Has("timeoutMinutes")))
        {
            return null;
        }
        return new ApprovalPlan
        {
            BeforeTraffic = before ?? false,
            BeforeFinalize = finalize ?? false,
            TimeoutSeconds = (timeout ?? DefaultApprovalTimeoutMinutes) * 60,
        };
    }

    private static HookPlan? ReadHooks(JsonFields? hooks, ProblemList problems)
    {
        if (hooks is null)
        {
            return new HookPlan { BeforeAllowTraffic = [], AfterAllowTraffic = [] };
        }
        static string? CheckArn(string arn, string path) =>
            LambdaArnShape().IsMatch(arn) ? null : "not a Lambda function ARN";
        var before = hooks.Array("beforeAllowTraffic");
        var after = hooks.Array("afterAllowTraffic");
        hooks.RejectUnknown();
        var beforeList = before is null ? [] : ReadStringList(before, "hooks.beforeAllowTraffic", 0, MaxHooks, problems, CheckArn);
        var afterList = after is null ? [] : ReadStringList(after, "hooks.afterAllowTraffic", 0, MaxHooks, problems, CheckArn);
        return beforeList is null || afterList is null ? null : new HookPlan { BeforeAllowTraffic = beforeList, AfterAllowTraffic = afterList };
    }

    private static (string SecretName, IReadOnlyDictionary<string, string> Labels)? ReadGitOps(JsonFields? gitops, ProblemList problems)
    {
        if (gitops is null)
        {
            return null;
        }
        var secret = gitops.String("clusterSecretName", required: true);
        if (secret is not null && !SecretName().IsMatch(secret))
        {
            problems.Add("gitops.clusterSecretName", "not a Secrets Manager secret name (1-512 of letters, digits and /_+=.@-)");
            secret = null;
        }
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (gitops.Object("labels") is { } labelFields)
        {
            // Every member is a label; read them all so none counts as unknown.
            foreach (var name in LabelNames(labelFields))
            {
                var value = labelFields.String(name, allowEmpty: true) ?? (labelFields.Has(name) ? null : "");
                var path = labelFields.PathOf(name);
                if (CheckLabelKey(name) is { } keyProblem)
                {
                    problems.Add(path, keyProblem);
                }
                else if (value is not null && value.Length > 0 && (value.Length > 63 || !LabelName().IsMatch(value)))
                {
                    problems.Add(path, "not a Kubernetes label value (at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric)");
                }
                else if (value is not null)
                {
                    labels[name] = value;
                }
            }
            labelFields.RejectUnknown();
            if (labels.Keys.Count(k => k != GitOpsPlan.SecretTypeLabel) > GitOpsPlan.MaxLabels)
            {
                problems.Add("gitops.labels", $"at most {GitOpsPlan.MaxLabels} labels besides {GitOpsPlan.SecretTypeLabel}: the secret carries them as tags, with the secret-type label and two ownership tags, and Secrets Manager allows 50");
            }
        }
        gitops.RejectUnknown();
        return secret is null ? null : (secret, labels);
    }

    private static IEnumerable<string> LabelNames(JsonFields labels) => labels.MemberNames();

    private static string? CheckLabelKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length == 0 || prefix.Length > 253 || !LabelPrefix().IsMatch(prefix))
            {
                return "not a Kubernetes label key: the prefix must be a DNS subdomain";
            }
        }
        return name.Length <= 63 && LabelName().IsMatch(name)
            ? null
            : "not a Kubernetes label key (name of at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric)";
    }

    private static BluePlan? ReadBlue(JsonFields? blue, ProblemList problems)
    {
        if (blue is null)
        {
            return new BluePlan { Decommission = DecommissionPolicies.Never, RetentionSeconds = null };
        }
        var mode = blue.String("decommission") ?? DecommissionPolicies.Never;
        var retention = blue.Int("retentionHours", 1, 720);
        var retentionGiven = blue.Has("retentionHours");
        blue.RejectUnknown();
        switch (mode)
        {
            case DecommissionPolicies.AfterRetention:
                if (!retentionGiven)
                {
                    problems.Add("blue.retentionHours", "required when decommission is \"afterRetention\"");
                }
                return retention is null ? null : new BluePlan { Decommission = mode, RetentionSeconds = retention * 3600 };
            case DecommissionPolicies.Never or DecommissionPolicies.Immediately:
                if (retentionGiven)
                {
                    problems.Add("blue.retentionHours", "only applies when decommission is \"afterRetention\"");
                    return null;
                }
                return new BluePlan { Decommission = mode, RetentionSeconds = null };
            default:
                problems.Add("blue.decommission", $"must be \"never\", \"immediately\" or \"afterRetention\", not {JsonFields.Quote(mode)}");
                return null;
        }
    }

    private static GreenPlan? ReadGreen(JsonFields? green, ProblemList problems)
    {
        if (green is null)
        {
            return new GreenPlan { OnFailure = GreenFailurePolicies.Delete };
        }
        var onFailure = green.String("onFailure") ?? GreenFailurePolicies.Delete;
        green.RejectUnknown();
        if (onFailure is GreenFailurePolicies.Delete or GreenFailurePolicies.Keep)
        {
            return new GreenPlan { OnFailure = onFailure };
        }
        problems.Add("green.onFailure", $"must be \"delete\" or \"keep\", not {JsonFields.Quote(onFailure)}");
        return null;
    }

    /// <summary>A list of distinct non-empty strings with a count range and a per-item check.</summary>
    private static List<string>? ReadStringList(IReadOnlyList<JsonElement>? items, string path, int min, int max,
        ProblemList problems, Func<string, string, string?> check)
    {
        if (items is null)
        {
            return null;
        }
        if (items.Count < min || items.Count > max)
        {
            problems.Add(path, min == max ? $"must have {min} items" : $"must have between {min} and {max} items, not {items.Count}");
            return null;
        }
        var result = new List<string>();
        var ok = true;
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = JsonFields.Index(path, i);
            if (items[i].ValueKind != JsonValueKind.String || items[i].GetString() is not { Length: > 0 } text)
            {
                problems.Add(itemPath, "must be a non-empty string");
                ok = false;
                continue;
            }
            if (check(text, itemPath) is { } problem)
            {
                problems.Add(itemPath, problem);
                ok = false;
            }
            else if (result.Contains(text, StringComparer.Ordinal))
            {
                problems.Add(itemPath, $"duplicate of an earlier item {JsonFields.Quote(text)}");
                ok = false;
            }
            else
            {
                result.Add(text);
            }
        }
        return ok ? result : null;
    }
}
