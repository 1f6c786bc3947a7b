using System.Text.RegularExpressions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>
/// The base of each part of the simulated EKS (clusters, node groups, add-ons...): the shared <see cref="EksStore"/>, and
/// the request reading, checks and errors, with EKS's codes and wording, that every resource uses.
/// </summary>
internal abstract partial class EksResource(EksStore store)
{
    protected EksStore Store => store;

    protected SimulatedAccount Account => store.Account;

    protected DateTimeOffset Now => store.Account.Scheduler.Now;

    protected Dictionary<string, SimulatedCluster> Clusters => store.Clusters;

    protected EksBehaviour Behaviour => store.Behaviour;

    protected KubernetesVersionCalendar Calendar => store.Calendar;

    protected EksNetwork Network => store.Network;

    /// <summary>Who EKS takes for the caller when no role is known: the world's creator, or the upgrade state machine's role.</summary>
    protected string CreatorPrincipalArn => Behaviour.CreatorPrincipalArn ?? $"arn:aws:iam::{Account.AccountId}:role/bluegreen-upgrade-state-machine";

    protected AwsServiceBase.Params Read(JObject parameters) => store.Service.Read(parameters);

    protected AwsServiceException Invalid(string message) => store.Service.Invalid(message);

    // ---- errors, with the codes and wording EKS uses -------------------------------------------------------

    protected static AwsServiceException NotFound(string message) => new("ResourceNotFoundException", message);

    protected static AwsServiceException InUse(string message) => new("ResourceInUseException", message);

    protected static AwsServiceException InvalidRequest(string message) => new("InvalidRequestException", message);

    protected static AwsServiceException LimitExceeded(string message) => new("ResourceLimitExceededException", message);

    protected SimulatedCluster RequireCluster(string name) =>
        Clusters.GetValueOrDefault(name) ?? throw NotFound($"No cluster found for name: {name}.");

    /// <summary>Node groups, add-ons, access entries and associations can only be created on an ACTIVE cluster.</summary>
    protected SimulatedCluster RequireActiveCluster(string name)
    {
        var cluster = RequireCluster(name);
        return cluster.Status == "ACTIVE" ? cluster : throw InvalidRequest($"Cluster '{name}' is not in ACTIVE status");
    }

    /// <summary>See <see cref="EksStore.TryReplay"/>.</summary>
    protected bool TryReplay(string action, string scope, string? token, string name, Func<bool> stillExists) => store.TryReplay(action, scope, token, name, stillExists);

    protected void RememberToken(string action, string scope, string? token, string name) => store.RememberToken(action, scope, token, name);

    protected static JObject WithNextToken(JObject response, string? next) => next is null ? response : response.With("NextToken", next);

    protected Dictionary<string, string> ReadTags(JObject? tags)
    {
        var map = EksWire.ReadStringMap(tags, Invalid, "tags");
        if (map.Count > 50)
        {
            throw Invalid("The number of tags exceeds the limit of 50.");
        }

        if (map.Keys.FirstOrDefault(k => k.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) is { } reserved)
        {
            throw Invalid($"Tag keys starting with 'aws:' are reserved: {reserved}.");
        }

        return map;
    }

    [GeneratedRegex("^[0-9A-Za-z][A-Za-z0-9\\-_]*$", RegexOptions.CultureInvariant)]
    protected static partial Regex ClusterNameRegex();

    [GeneratedRegex("^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$", RegexOptions.CultureInvariant)]
    protected static partial Regex RoleArnRegex();

    [GeneratedRegex("^arn:aws[a-z-]*:iam::\\d{12}:(role|user)/[\\w+=,.@/-]+$", RegexOptions.CultureInvariant)]
    protected static partial Regex PrincipalArnRegex();
}
