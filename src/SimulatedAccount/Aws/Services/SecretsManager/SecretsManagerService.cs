using System.Text.RegularExpressions;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Aws.Services.SecretsManager;

/// <summary>
/// AWS Secrets Manager: secrets with versions and staging labels (AWSCURRENT, AWSPREVIOUS), deletion with a
/// recovery window on the virtual clock (or at once with ForceDeleteWithoutRecovery), tags, and the AWS
/// errors (<c>ResourceExistsException</c>, <c>ResourceNotFoundException</c>, <c>InvalidRequestException</c>,
/// <c>InvalidParameterException</c>). Reached through <c>arn:aws:states:::aws-sdk:secretsmanager:*</c>
/// (errors <c>SecretsManager.*</c>). Response members carry Step Functions' names, those of the AWS SDK for
/// Java with the first letter raised: the secret's ARN is <c>Arn</c> (the API's <c>ARN</c>).
/// <para>
/// Every write that leaves a secret with a current string value (CreateSecret, PutSecretValue, UpdateSecret,
/// TagResource) is reported to <see cref="GitOpsRegistry"/>, which registers the clusters of Argo CD cluster secrets.
/// </para>
/// </summary>
/// <remarks>World section <c>secretsmanager</c>: <c>secrets: [ { name, description, secretString, tags, kmsKeyId } ]</c>.</remarks>
public sealed partial class SecretsManagerService : AwsServiceBase
{
    private readonly List<Secret> _secrets = [];
    private SimulatedAccount? _account;
    private Random _random = new(0);

    public SecretsManagerService()
    {
        On("CreateSecret", CreateSecret);
        On("PutSecretValue", PutSecretValue);
        On("GetSecretValue", GetSecretValue);
        On("DescribeSecret", (p, _) => Describe(Find(Read(p).RequiredString("SecretId"))));
        On("UpdateSecret", UpdateSecret);
        On("DeleteSecret", DeleteSecret);
        On("RestoreSecret", RestoreSecret);
        On("TagResource", TagResource);
        On("UntagResource", UntagResource);
        On("ListSecrets", ListSecrets);
    }

    public override string SdkName => "secretsmanager";

    public override string ErrorPrefix => "SecretsManager";

    public override string IamPrefix => "secretsmanager";

    public override string InternalErrorCode => "InternalServiceError";

    public override string ValidationErrorCode => "InvalidParameterException";

    private SimulatedAccount Account => _account ?? throw new InvalidOperationException("The Secrets Manager service is not attached to an account.");

    public override void Attach(SimulatedAccount account)
    {
        _account = account;
        _random = Ids.ServiceRandom(account, "secretsmanager");
    }

    public override void Seed(JObject section, SimulatedAccount account)
    {
        var secrets = section.GetArray("secrets") ?? JArray.Empty;
        var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None };
        for (var i = 0; i < secrets.Count; i++)
        {
            var s = secrets[i] as JObject ?? throw new ScenarioException($"secretsmanager.secrets[{i}] must be an object");
            var request = new JObjectBuilder().Add("Name", s.GetString("name") ?? throw new ScenarioException($"secretsmanager.secrets[{i}]: 'name' is required"));
            if (ApiValues.JsonText(s["secretString"]) is { } value)
            {
                request.Add("SecretString", value);
            }

            foreach (var member in (string[])["description", "kmsKeyId"])
            {
                if (s.GetString(member) is { } text)
                {
                    request.Add(char.ToUpperInvariant(member[0]) + member[1..], text);
                }
            }

            var tags = s["tags"] switch
            {
                JObject map => JArray.From(map.Select(t => (JValue)JObject.Of(("Key", t.Key), ("Value", t.Value is JString v ? v.Value : t.Value.ToJson())))),
                JArray list => (JArray)ApiValues.Capitalize(list),
                _ => null,
            };
            if (tags is not null)
            {
                request.Add("Tags", tags);
            }

            try
            {
                CreateSecret(request.Build(), context);
            }
            catch (AwsServiceException e)
            {
                throw new ScenarioException($"secretsmanager.secrets[{i}]: {e.Code}: {e.Message}");
            }
        }
    }

    // ---- secrets and versions -------------------------------------------------------------------

    private JObject CreateSecret(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var name = p.RequiredString("Name");
        if (name.Length > 512 || !NameRegex().IsMatch(name))
        {
            throw Invalid("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
        }

        if (_secrets.FirstOrDefault(s => s.Name == name) is { } existing)
        {
            throw existing.DeletedDate is not null
                ? new AwsServiceException("InvalidRequestException", "You can't create this secret because a secret with this name is already scheduled for deletion.")
                : new AwsServiceException("ResourceExistsException", $"The operation failed because the secret {name} already exists.");
        }

        var value = ReadValue(p, required: false);
        var suffix = Ids.Letters(_random, 6);
        var secret = new Secret(name, Account.Arn("secretsmanager", $"secret:{name}-{suffix}"), context.Now)
        {
            Description = p.OptionalString("Description"),
            KmsKeyId = p.OptionalString("KmsKeyId"),
        };
        foreach (var tag in p.Array("Tags").OfType<JObject>())
        {
            SetTag(secret, tag);
        }

        var response = new JObjectBuilder().Add("Arn", secret.Arn).Add("Name", secret.Name);
        if (value is not null)
        {
            var version = AddVersion(secret, p.OptionalString("ClientRequestToken"), value.Value, ["AWSCURRENT"], context.Now);
            response.Add("VersionId", version.Id);
        }

        _secrets.Add(secret);
        ReportWrite(secret);
        return response.Add("ReplicationStatus", JArray.Empty).Build();
    }

    private JObject PutSecretValue(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var secret = FindLive(p.RequiredString("SecretId"));
        var value = ReadValue(p, required: true)!.Value;
        var stages = p.Raw.ContainsKey("VersionStages") ? p.Strings("VersionStages") : ["AWSCURRENT"];
        var version = AddVersion(secret, p.OptionalString("ClientRequestToken"), value, stages, context.Now);
        ReportWrite(secret);
        return JObject.Of(("Arn", secret.Arn), ("Name", secret.Name), ("VersionId", version.Id), ("VersionStages", JArray.From(version.Stages.Select(s => (JValue)s))));
    }

    private JObject GetSecretValue(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var secret = FindLive(p.RequiredString("SecretId"));
        var versionId = p.OptionalString("VersionId");
        var stage = p.OptionalString("VersionStage") ?? (versionId is null ? "AWSCURRENT" : null);
        var version = secret.Versions.FirstOrDefault(v => (versionId is null || v.Id == versionId) && (stage is null || v.Stages.Contains(stage)))
            ?? throw new AwsServiceException("ResourceNotFoundException", versionId is null
                ? $"Secrets Manager can't find the specified secret value for staging label: {stage}"
                : $"Secrets Manager can't find the specified secret value for VersionId: {versionId}");
        secret.LastAccessedDate = new DateTimeOffset(context.Now.UtcDateTime.Date, TimeSpan.Zero);
        var response = new JObjectBuilder().Add("Arn", secret.Arn).Add("Name", secret.Name).Add("VersionId", version.Id);
        response.Add(version.Value.Binary ? "SecretBinary" : "SecretString", version.Value.Text);
        return response
            .Add("VersionStages", JArray.From(version.Stages.Select(s => (JValue)s)))
            .Add("CreatedDate", ApiValues.Timestamp(version.Created))
            .Build();
    }

    private JObject UpdateSecret(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var secret = FindLive(p.RequiredString("SecretId"));
        secret.Description = p.OptionalString("Description") ?? secret.Description;
        secret.KmsKeyId = p.OptionalString("KmsKeyId") ?? secret.KmsKeyId;
        secret.LastChangedDate = context.Now;
        var response = new JObjectBuilder().Add("Arn", secret.Arn).Add("Name", secret.Name);
        if (ReadValue(p, required: false) is { } value)
        {
            var version = AddVersion(secret, p.OptionalString("ClientRequestToken"), value, ["AWSCURRENT"], context.Now);
            response.Add("VersionId", version.Id);
            ReportWrite(secret);
        }

        return response.Build();
    }

    private (string Text, bool Binary)? ReadValue(Params p, bool required)
    {
        var text = p.OptionalString("SecretString");
        var binary = p.OptionalString("SecretBinary");
        return (text, binary) switch
        {
            ({ }, { }) => throw Invalid("You can't specify both a binary secret value and a string secret value in the same secret."),
            ({ } s, null) => (s, false),
            (null, { } b) => (b, true),
            _ when required => throw Invalid("You must provide either SecretString or SecretBinary."),
            _ => null,
        };
    }

    /// <summary>
    /// A new version with <paramref name="stages"/>. Moving AWSCURRENT onto it labels the previous current
    /// version AWSPREVIOUS. Repeating a ClientRequestToken with the same value changes nothing (idempotent);
    /// with another value it is refused.
    /// </summary>
    private SecretVersion AddVersion(Secret secret, string? token, (string Text, bool Binary) value, IReadOnlyList<string> stages, DateTimeOffset now)
    {
        if (token is not null && token.Length is < 32 or > 64)
        {
            throw Invalid("ClientRequestToken must be 32 to 64 characters long.");
        }

        if (token is not null && secret.Versions.FirstOrDefault(v => v.Id == token) is { } existing)
        {
            return existing.Value == value
                ? existing
                : throw new AwsServiceException("ResourceExistsException", "You can't modify an existing version, you can only create a new version.");
        }

        var version = new SecretVersion(token ?? Ids.Uuid(_random), value, now);
        foreach (var stage in stages)
        {
            foreach (var other in secret.Versions.Where(v => v.Stages.Contains(stage)))
            {
                other.Stages.Remove(stage);
                if (stage == "AWSCURRENT")
                {
                    foreach (var previous in secret.Versions.Where(v => v.Stages.Contains("AWSPREVIOUS")))
                    {
                        previous.Stages.Remove("AWSPREVIOUS");
                    }

                    other.Stages.Add("AWSPREVIOUS");
                }
            }

            version.Stages.Add(stage);
        }

        secret.Versions.Add(version);
        secret.LastChangedDate = now;
        return version;
    }

    // ---- deletion -------------------------------------------------------------------------------

    private JObject DeleteSecret(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var secret = Find(p.RequiredString("SecretId"));
        var window = p.OptionalInt("RecoveryWindowInDays");
        var force = p.OptionalBool("ForceDeleteWithoutRecovery") ?? false;
        if (force && window is not null)
        {
            throw Invalid("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }

        if (window is not null and (< 7 or > 30))
        {
            throw Invalid("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }

        if (force)
        {
            secret.DeletionTimer?.Cancel();
            _secrets.Remove(secret);
            secret.DeletedDate ??= context.Now;
            return JObject.Of(("Arn", secret.Arn), ("Name", secret.Name), ("DeletionDate", ApiValues.Timestamp(context.Now)));
        }

        if (secret.DeletedDate is not null)
        {
            throw new AwsServiceException("InvalidRequestException", "You can't perform this operation on the secret because it was already scheduled for deletion.");
        }

        var deletion = context.Now.AddDays(window ?? 30);
        secret.DeletedDate = context.Now;
        secret.DeletionTimer = Account.Scheduler.Schedule(deletion, () => _secrets.Remove(secret));
        return JObject.Of(("Arn", secret.Arn), ("Name", secret.Name), ("DeletionDate", ApiValues.Timestamp(deletion)));
    }

    private JObject RestoreSecret(JObject parameters, AwsCallContext context)
    {
        var secret = Find(Read(parameters).RequiredString("SecretId"));
        secret.DeletionTimer?.Cancel();
        secret.DeletionTimer = null;
        secret.DeletedDate = null;
        return JObject.Of(("Arn", secret.Arn), ("Name", secret.Name));
    }

    // ---- tags and listing -----------------------------------------------------------------------

    private JObject TagResource(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var secret = FindLive(p.RequiredString("SecretId"));
        foreach (var tag in p.Array("Tags").OfType<JObject>())
        {
            SetTag(secret, tag);
        }

        ReportWrite(secret);
        return JObject.Empty;
    }

    private JObject UntagResource(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var secret = FindLive(p.RequiredString("SecretId"));
        foreach (var key in p.Strings("TagKeys"))
        {
            secret.Tags.RemoveAll(t => t.Key == key);
        }

        return JObject.Empty;
    }

    private void SetTag(Secret secret, JObject tag)
    {
        var key = tag.GetString("Key") ?? throw Invalid("A tag needs a Key.");
        var value = tag.GetString("Value") ?? string.Empty;
        var index = secret.Tags.FindIndex(t => t.Key == key);
        if (index >= 0)
        {
            secret.Tags[index] = (key, value);
        }
        else
        {
            secret.Tags.Add((key, value));
        }
    }

    private JObject ListSecrets(JObject parameters, AwsCallContext context)
    {
        var p = Read(parameters);
        var includeDeleted = p.OptionalBool("IncludePlannedDeletion") ?? false;
        var filters = p.Array("Filters").OfType<JObject>().Select(f => (Key: f.GetString("Key") ?? "all", Values: f.GetArray("Values")?.OfType<JString>().Select(v => v.Value).ToList() ?? [])).ToList();
        IEnumerable<Secret> matching = _secrets.Where(s => (includeDeleted || s.DeletedDate is null) && filters.All(f => MatchesFilter(s, f.Key, f.Values)));
        if (p.OptionalString("SortOrder") == "asc")
        {
            matching = matching.OrderBy(s => s.CreatedDate);
        }
        else if (p.OptionalString("SortOrder") == "desc")
        {
            matching = matching.OrderByDescending(s => s.CreatedDate);
        }

        var page = Pagination.Of(matching.ToList(), p.OptionalString("NextToken"), p.OptionalInt("MaxResults") is > 0 and var max ? max : 100, PageTokens.Offsets,
            _ => new AwsServiceException("InvalidNextTokenException", "The NextToken value is invalid."));
        return new JObjectBuilder()
            .Add("SecretList", JArray.From(page.Items.Select(s => (JValue)ListEntry(s))))
            .Maybe("NextToken", page.NextToken)
            .Build();
    }

    /// <summary>ListSecrets filters: prefix matches (names and tag keys case-sensitively, the rest not); a value starting with ! negates.</summary>
    private static bool MatchesFilter(Secret s, string key, IReadOnlyList<string> values) => values.Any(raw =>
    {
        var negate = raw.StartsWith('!');
        var value = negate ? raw[1..] : raw;
        bool Prefix(string? text, bool ignoreCase = true) => text is not null && text.StartsWith(value, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        var hit = key switch
        {
            "name" => Prefix(s.Name, ignoreCase: false),
            "description" => Prefix(s.Description),
            "tag-key" => s.Tags.Any(t => Prefix(t.Key, ignoreCase: false)),
            "tag-value" => s.Tags.Any(t => Prefix(t.Value)),
            "primary-region" or "owning-service" => false,
            _ => Prefix(s.Name) || Prefix(s.Description) || s.Tags.Any(t => Prefix(t.Key) || Prefix(t.Value)),
        };
        return hit != negate;
    });

    private static JObject ListEntry(Secret s)
    {
        var o = Common(s);
        o.Add("SecretVersionsToStages", VersionsToStages(s));
        return o.Add("CreatedDate", ApiValues.Timestamp(s.CreatedDate)).Build();
    }

    private static JObject Describe(Secret s)
    {
        var o = Common(s);
        o.Add("VersionIdsToStages", VersionsToStages(s));
        return o.Add("CreatedDate", ApiValues.Timestamp(s.CreatedDate)).Build();
    }

    private static JObjectBuilder Common(Secret s)
    {
        var o = new JObjectBuilder().Add("Arn", s.Arn).Add("Name", s.Name);
        if (s.Description is { } description)
        {
            o.Add("Description", description);
        }

        if (s.KmsKeyId is { } kms)
        {
            o.Add("KmsKeyId", kms);
        }

        o.Add("RotationEnabled", false).Add("LastChangedDate", ApiValues.Timestamp(s.LastChangedDate));
        if (s.LastAccessedDate is { } accessed)
        {
            o.Add("LastAccessedDate", ApiValues.Timestamp(accessed));
        }

        if (s.DeletedDate is { } deleted)
        {
            o.Add("DeletedDate", ApiValues.Timestamp(deleted));
        }

        return o.Add("Tags", JArray.From(s.Tags.Select(t => (JValue)JObject.Of(("Key", t.Key), ("Value", t.Value)))));
    }

    private static JObject VersionsToStages(Secret s) =>
        JObject.From(s.Versions.Where(v => v.Stages.Count > 0).Select(v => new KeyValuePair<string, JValue>(v.Id, JArray.From(v.Stages.Select(x => (JValue)x)))));

    /// <summary>The secret a SecretId names: its name, its ARN, or its ARN without the six-character suffix.</summary>
    private Secret Find(string secretId) =>
        _secrets.FirstOrDefault(s => s.Name == secretId || s.Arn == secretId)
        ?? _secrets.FirstOrDefault(s => secretId.StartsWith("arn:", StringComparison.Ordinal) && s.Arn.Length == secretId.Length + 7 && s.Arn.StartsWith(secretId + "-", StringComparison.Ordinal))
        ?? throw new AwsServiceException("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");

    /// <summary>A secret that is not scheduled for deletion (most operations refuse those).</summary>
    private Secret FindLive(string secretId)
    {
        var secret = Find(secretId);
        return secret.DeletedDate is null
            ? secret
            : throw new AwsServiceException("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.");
    }

    // ---- GitOps ---------------------------------------------------------------------------------------

    /// <summary>Tells <see cref="GitOpsRegistry"/> about the secret's current string value, which may be an Argo CD cluster secret.</summary>
    private void ReportWrite(Secret secret)
    {
        var current = secret.Versions.FirstOrDefault(v => v.Stages.Contains("AWSCURRENT"));
        if (secret.DeletedDate is null && current is { Value.Binary: false })
        {
            Account.GitOps.SecretWritten(secret.Name, secret.Tags, current.Value.Text);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9/_+=.@!-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();

    public override IReadOnlyDictionary<string, string>? ResourceTags(string arn) =>
        _secrets.FirstOrDefault(s => s.Arn == arn)?.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

    /// <summary>The full ARN (with its random suffix) of the secret named or partially named by <paramref name="secretId"/>, or null.</summary>
    public string? SecretArn(string secretId) =>
        _secrets.FirstOrDefault(s => s.Name == secretId || s.Arn == secretId || s.Arn.StartsWith(secretId + "-", StringComparison.Ordinal))?.Arn;

    private sealed class Secret(string name, string arn, DateTimeOffset created)
    {
        public string Name { get; } = name;

        public string Arn { get; } = arn;

        public DateTimeOffset CreatedDate { get; } = created;

        public DateTimeOffset LastChangedDate { get; set; } = created;

        public DateTimeOffset? LastAccessedDate { get; set; }

        public DateTimeOffset? DeletedDate { get; set; }

        public VirtualScheduler.Timer? DeletionTimer { get; set; }

        public string? Description { get; set; }

        public string? KmsKeyId { get; set; }

        public List<(string Key, string Value)> Tags { get; } = [];

        public List<SecretVersion> Versions { get; } = [];
    }

    private sealed class SecretVersion(string id, (string Text, bool Binary) value, DateTimeOffset created)
    {
        public string Id { get; } = id;

        public (string Text, bool Binary) Value { get; } = value;

        public DateTimeOffset Created { get; } = created;

        public List<string> Stages { get; } = [];
    }
}
