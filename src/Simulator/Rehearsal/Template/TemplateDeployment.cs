using System.Globalization;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Iam;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Aws.Services.Lambda;
using BlueGreen.Simulator.Aws.Services.Pipes;
using BlueGreen.Simulator.Aws.Services.SecretsManager;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Rehearsal.Template;

/// <summary>
/// Deploys a synthesized CloudFormation template (with the asset folders beside it, as <c>cdk synth</c> writes them) into
/// a simulated account, resource by resource in dependency order, the way CloudFormation would create the stack: IAM
/// roles and their inline and managed policies, Lambda functions from their code assets (started later as the managed
/// runtime starts them), versions and aliases, state machines from their definition assets with their
/// DefinitionSubstitutions, the run-record table, the KMS key and the encrypted topic, and EventBridge rules with their
/// targets' roles. Resources the rehearsal has no use for (log groups, alarms, the dashboard and
/// resource policies) are accepted and listed as not simulated; any other type stops the deployment.
/// </summary>
public static class TemplateDeployment
{
    /// <summary>Types that are deployed but play no part in a rehearsal (nothing in the workflow calls them).</summary>
    public static IReadOnlySet<string> NotSimulated { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "AWS::Logs::LogGroup", "AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard", "AWS::SQS::QueuePolicy",
        "AWS::SNS::TopicPolicy", "AWS::SNS::Subscription", "AWS::KMS::Alias", "AWS::Chatbot::SlackChannelConfiguration", "AWS::Lambda::Permission", "AWS::CDK::Metadata",
        // The chat endpoint's function URL (docs/chat.md): Slack's way in, no part of an upgrade.
        "AWS::Lambda::Url",
        // The daily eos-scan schedule: rehearsals start their scans themselves (see ProductDeployment).
        "AWS::Scheduler::Schedule",
    };

    public static ProductDeployment Deploy(SimulatedAccount account, string templatePath)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!File.Exists(templatePath))
        {
            throw new TemplateException($"No template at {templatePath}; synthesize it first (dotnet run --project src/Infra.Cdk writes cdk.out/EksBlueGreenUpgrade-<environment>.template.json).");
        }

        var stackName = Path.GetFileName(templatePath).Replace(".template.json", string.Empty, StringComparison.Ordinal);
        // The same stack id the manifest deployment assumes, so both name retained resources (the table) alike.
        var stackGuid = ProductDeployment.StableGuid(account, stackName);
        var pseudo = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS::Region"] = account.Region,
            ["AWS::AccountId"] = account.AccountId,
            ["AWS::Partition"] = "aws",
            ["AWS::URLSuffix"] = "amazonaws.com",
            ["AWS::StackName"] = stackName,
            ["AWS::StackId"] = $"arn:aws:cloudformation:{account.Region}:{account.AccountId}:stack/{stackName}/{stackGuid}",
        };
        var template = CloudFormationTemplate.Parse(File.ReadAllText(templatePath), pseudo);
        var assets = CdkAssets.Load(templatePath);
        var deployer = new Deployer(account, template, assets, stackName);
        foreach (var id in template.CreationOrder().Where(template.IsCreated))
        {
            deployer.Create(id);
        }

        return deployer.Result();
    }

    /// <summary>What CloudFormation returns for Ref and GetAtt of each created resource, and the work of creating them.</summary>
    private sealed class Deployer(SimulatedAccount account, CloudFormationTemplate template, CdkAssets assets, string stackName)
    {
        private readonly Dictionary<string, JValue> _refs = new(StringComparer.Ordinal);
        private readonly Dictionary<(string, string), JValue> _attributes = new();
        private readonly Dictionary<string, string> _machineDefinitions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _machinesByDefinition = new(StringComparer.Ordinal);
        private readonly Dictionary<string, PendingFunction> _functions = new(StringComparer.Ordinal);
        private readonly List<string> _notSimulated = [];
        private readonly Dictionary<string, string> _ruleByTarget = new(StringComparer.Ordinal);

        private IamService Iam => account.Service<IamService>();

        public void Create(string id)
        {
            var resource = template.Resolve(id, Reference, Attribute);
            var p = resource.Properties;
            switch (resource.Type)
            {
                case "AWS::IAM::Role":
                    var roleName = p.GetString("RoleName") ?? PhysicalName(id, 64);
                    var role = Iam.CreateRole(roleName, PolicyDocument.Parse($"{id} trust policy", p["AssumeRolePolicyDocument"] ?? JObject.Empty));
                    foreach (var inline in (p.GetArray("Policies") ?? JArray.Empty).OfType<JObject>())
                    {
                        role.AttachPolicy(PolicyDocument.Parse(inline.GetString("PolicyName") ?? id, inline["PolicyDocument"]!));
                    }

                    Set(id, roleName, ("Arn", role.Arn), ("RoleId", "AROA" + (uint)StableHash.Of(role.Arn)));
                    break;
                case "AWS::IAM::Policy" or "AWS::IAM::ManagedPolicy":
                    var policyName = p.GetString("PolicyName") ?? p.GetString("ManagedPolicyName") ?? PhysicalName(id, 128);
                    var document = PolicyDocument.Parse(policyName, p["PolicyDocument"] ?? throw new TemplateException($"{id}: no PolicyDocument."));
                    foreach (var roleRef in (p.GetArray("Roles") ?? JArray.Empty).OfType<JString>())
                    {
                        (Iam.Roles.FirstOrDefault(r => r.Name == roleRef.Value) ?? throw new TemplateException($"{id}: no role named {roleRef.Value} in the stack.")).AttachPolicy(document);
                    }

                    var policyArn = $"arn:aws:iam::{account.AccountId}:policy/{policyName}";
                    Set(id, resource.Type == "AWS::IAM::ManagedPolicy" ? policyArn : policyName, ("PolicyArn", policyArn));
                    break;
                case "AWS::Lambda::Function":
                    var functionName = p.GetString("FunctionName") ?? PhysicalName(id, 64);
                    var code = p.GetObject("Code") ?? throw new TemplateException($"{id}: no Code.");
                    var codeDirectory = code.GetString("S3Key") is { } key
                        ? assets.Folder(key) ?? throw new TemplateException($"{id}: the code asset {key} is not in {assets.Directory} (was it synthesized there?).")
                        : throw new TemplateException($"{id}: only code assets in S3 are supported (CDK's Code.FromAsset), not inline code.");
                    _functions[functionName] = new PendingFunction(functionName, codeDirectory, p);
                    Set(id, functionName, ("Arn", account.Arn("lambda", "function:" + functionName)));
                    RegisterFunction(functionName);
                    break;
                case "AWS::Lambda::Version":
                    var versioned = Text(p, "FunctionName", id);
                    // One published version per function: what the alias points at.
                    Set(id, account.Arn("lambda", $"function:{versioned}:1"), ("Version", "1"), ("FunctionArn", account.Arn("lambda", "function:" + versioned)));
                    break;
                case "AWS::Lambda::Alias":
                    var aliased = Text(p, "FunctionName", id);
                    var aliasName = Text(p, "Name", id);
                    var pending = _functions.GetValueOrDefault(aliased) ?? throw new TemplateException($"{id}: no function {aliased} in the stack.");
                    _functions[aliased] = pending with { Aliases = [.. pending.Aliases, aliasName] };
                    RegisterFunction(aliased);
                    Set(id, account.Arn("lambda", $"function:{aliased}:{aliasName}"));
                    break;
                case "AWS::DynamoDB::Table":
                    var table = p.GetString("TableName") ?? PhysicalName(id, 255);
                    var keys = (p.GetArray("KeySchema") ?? JArray.Empty).OfType<JObject>().ToList();
                    string? Key(string type) => keys.FirstOrDefault(k => k.GetString("KeyType") == type)?.GetString("AttributeName");
                    var ttl = p.GetObject("TimeToLiveSpecification") is { } spec && spec.GetBool("Enabled") == true ? spec.GetString("AttributeName") : null;
                    var indexes = (p.GetArray("GlobalSecondaryIndexes") ?? JArray.Empty).OfType<JObject>().Select(i =>
                    {
                        var indexKeys = (i.GetArray("KeySchema") ?? JArray.Empty).OfType<JObject>().ToList();
                        string IndexKey(string type) => indexKeys.FirstOrDefault(k => k.GetString("KeyType") == type)?.GetString("AttributeName")
                            ?? throw new TemplateException($"{id}: index {i.GetString("IndexName")} has no {type} key (the simulator deploys indexes with both keys).");
                        var projection = i.GetObject("Projection");
                        IReadOnlyList<string> projected = projection?.GetString("ProjectionType") == "INCLUDE"
                            ? [.. (projection.GetArray("NonKeyAttributes") ?? JArray.Empty).Select(a => a.AsString())]
                            : projection?.GetString("ProjectionType") == "KEYS_ONLY" ? [] : throw new TemplateException($"{id}: index {i.GetString("IndexName")}: the simulator deploys INCLUDE and KEYS_ONLY projections.");
                        return (Name: i.GetString("IndexName") ?? throw new TemplateException($"{id}: an index without IndexName."), PartitionKey: IndexKey("HASH"), SortKey: IndexKey("RANGE"), Projected: projected);
                    }).ToList();
                    account.Service<DynamoDbService>().AddTable(DynamoDbWorld.KeyValueTable(table, Key("HASH") ?? throw new TemplateException($"{id}: no HASH key."), Key("RANGE") ?? throw new TemplateException($"{id}: the simulator deploys tables with a sort key."), ttl, indexes));
                    var streamArn = p.GetObject("StreamSpecification")?.GetString("StreamViewType") is { } view
                        ? account.Service<DynamoDbService>().Streams.Enable(account, table, view, Key("HASH")!, Key("RANGE")).Arn
                        : null;
                    Set(id, table, [("Arn", account.Arn("dynamodb", "table/" + table)), .. streamArn is null ? Array.Empty<(string, string)>() : [("StreamArn", streamArn)]]);
                    break;
                case "AWS::KMS::Key":
                    var keyId = ProductDeployment.StableGuid(account, stackName + "/" + id);
                    Set(id, keyId, ("Arn", account.Arn("kms", "key/" + keyId)), ("KeyId", keyId));
                    break;
                case "AWS::SNS::Topic":
                    var topicName = p.GetString("TopicName") ?? PhysicalName(id, 256);
                    var topicArn = account.Service<SnsService>().AddTopic(topicName, p.GetString("KmsMasterKeyId"));
                    Set(id, topicArn, ("TopicArn", topicArn), ("TopicName", topicName));
                    break;
                case "AWS::SQS::Queue":
                    // The dead-letter queues: Ref is the queue URL, GetAtt Arn its ARN (AWS::SQS::Queue return values).
                    var queueName = p.GetString("QueueName") ?? PhysicalName(id, 80);
                    var queueArn = account.Service<Aws.Services.Sqs.SqsService>().AddQueue(queueName);
                    var queueUrl = $"https://sqs.{account.Region}.amazonaws.com/{account.AccountId}/{queueName}";
                    Set(id, queueUrl, ("Arn", queueArn), ("QueueName", queueName), ("QueueUrl", queueUrl));
                    break;
                case "AWS::StepFunctions::StateMachine":
                    CreateStateMachine(id, p);
                    break;
                case "AWS::Events::Rule":
                    CreateRule(id, p);
                    break;
                case "AWS::Events::Connection":
                    var apiKey = p.GetObject("AuthParameters")?.GetObject("ApiKeyAuthParameters");
                    var apiKeyValue = apiKey?.GetString("ApiKeyValue") is { } keyValue ? account.Service<SecretsManagerService>().ResolveDynamicReferences(keyValue) : null;
                    var connection = account.Http.AddConnection(p.GetString("Name") ?? PhysicalName(id, 64), p.GetString("AuthorizationType") ?? "API_KEY", apiKey?.GetString("ApiKeyName"), apiKeyValue);
                    Set(id, connection.Name, ("Arn", connection.Arn), ("SecretArn", connection.SecretArn));
                    break;
                case "AWS::Pipes::Pipe":
                    var pipeName = p.GetString("Name") ?? PhysicalName(id, 64);
                    var stream = p.GetObject("SourceParameters")?.GetObject("DynamoDBStreamParameters") ?? throw new TemplateException($"{id}: the simulator deploys pipes from DynamoDB streams only.");
                    var filters = (p.GetObject("SourceParameters")?.GetObject("FilterCriteria")?.GetArray("Filters") ?? JArray.Empty).OfType<JObject>().Select(f => f.GetString("Pattern") ?? "{}").ToList();
                    var pipe = account.Service<PipesService>().AddPipe(new PipeDefinition(pipeName, Text(p, "RoleArn", id), Text(p, "Source", id),
                        stream.GetString("StartingPosition") ?? throw new TemplateException($"{id}: no StartingPosition."), (int?)stream.GetNumber("BatchSize") ?? 10, (int?)stream.GetNumber("MaximumRetryAttempts") ?? -1,
                        filters, Text(p, "Target", id), p.GetObject("TargetParameters")?.GetObject("StepFunctionStateMachineParameters")?.GetString("InvocationType") ?? "REQUEST_RESPONSE"));
                    Set(id, pipeName, ("Arn", pipe.Arn));
                    break;
                case var type when NotSimulated.Contains(type):
                    _notSimulated.Add($"{id} ({type})");
                    Set(id, PhysicalName(id, 64), ("Arn", $"arn:aws:{type.Split("::")[1].ToLowerInvariant()}:{account.Region}:{account.AccountId}:{id}"),
                        ("FunctionUrl", $"https://{id.ToLowerInvariant()}.lambda-url.{account.Region}.on.aws/"));
                    break;
                default:
                    throw new TemplateException($"{id}: the simulator cannot deploy {resource.Type}.");
            }
        }

        public ProductDeployment Result()
        {
            var outputs = template.Outputs(Reference, Attribute);
            string Machine(string definition) => _machinesByDefinition.GetValueOrDefault(definition)
                ?? throw new TemplateException($"The template has no state machine deployed from statemachines/{definition}.asl.json (tag bluegreen:definition={definition}).");
            var upgrade = Machine("upgrade");
            return new ProductDeployment(
                account,
                manifest: null,
                new ProductDeployment.DeployedNames(
                    Upgrade: upgrade,
                    Bake: Machine("bake"),
                    Decommission: Machine("decommission-cluster"),
                    RestoreBlue: Machine("restore-blue"),
                    RestoreBlueRule: RuleStarting("restore-blue"),
                    Reconcile: Machine("reconcile-run"),
                    ReconcileRule: RuleStarting("reconcile-run"),
                    TableName: outputs.GetValueOrDefault("RunRecordTableName") ?? throw new TemplateException("The template has no RunRecordTableName output."),
                    TopicArn: outputs.GetValueOrDefault("NotificationTopicArn") ?? throw new TemplateException("The template has no NotificationTopicArn output."),
                    UpgradeRoleArn: account.Service<StepFunctionsService>().StateMachine(upgrade)!.RoleArn),
                substitutions: _machineDefinitions,
                notSimulated: _notSimulated);
        }

        /// <summary>The rule whose target is the state machine deployed from <c>statemachines/{definition}.asl.json</c>.</summary>
        private string RuleStarting(string definition) =>
            _ruleByTarget.GetValueOrDefault(definition) ?? throw new TemplateException($"The template has no EventBridge rule that starts {definition}.");

        private void CreateStateMachine(string id, JObject p)
        {
            string definition;
            if (p.GetObject("DefinitionS3Location") is { } location)
            {
                var key = Text(location, "Key", id);
                var file = assets.File(key) ?? throw new TemplateException($"{id}: the definition asset {key} is not in {assets.Directory}.");
                definition = File.ReadAllText(file);
            }
            else
            {
                definition = p.GetString("DefinitionString") ?? p.GetObject("Definition")?.ToJson() ?? throw new TemplateException($"{id}: no definition.");
            }

            if (p.GetObject("DefinitionSubstitutions") is { Count: 0 })
            {
                // AWS::StepFunctions::StateMachine's resource schema (CloudFormation registry; cfn-lint E3002): minProperties 1.
                throw new TemplateException($"{id}: DefinitionSubstitutions is empty; CloudFormation refuses an empty map (its schema asks for at least one entry): omit it.");
            }

            var substitutions = (p.GetObject("DefinitionSubstitutions") ?? JObject.Empty).ToDictionary(s => s.Key, s => CloudFormationTemplate.Text(s.Value, $"{id}.DefinitionSubstitutions.{s.Key}"), StringComparer.Ordinal);
            foreach (var (key, value) in substitutions)
            {
                _machineDefinitions[key] = value;
            }

            var name = p.GetString("StateMachineName") ?? PhysicalName(id, 80);
            var type = p.GetString("StateMachineType") ?? "STANDARD";
            if (type != "STANDARD")
            {
                throw new TemplateException($"{id}: the simulator deploys STANDARD state machines only, not {type}.");
            }

            try
            {
                account.Service<StepFunctionsService>().RegisterStateMachine(name, ProductDeployment.Substitute(definition, substitutions, id), Text(p, "RoleArn", id));
            }
            catch (AwsServiceException e)
            {
                // CloudFormation reports the service's refusal as the resource's CREATE_FAILED reason.
                throw new TemplateException($"{id} (AWS::StepFunctions::StateMachine) CREATE_FAILED: {e.Code}: {e.Message}");
            }

            var tag = (p.GetArray("Tags") ?? JArray.Empty).OfType<JObject>().FirstOrDefault(t => t.GetString("Key") == "bluegreen:definition")?.GetString("Value");
            if (tag is not null)
            {
                _machinesByDefinition[tag] = name;
            }

            var arn = account.StepFunctions.StateMachineArn(name);
            Set(id, arn, ("Arn", arn), ("Name", name));
        }

        private void CreateRule(string id, JObject p)
        {
            var name = p.GetString("Name") ?? PhysicalName(id, 64);
            var targets = (p.GetArray("Targets") ?? JArray.Empty).OfType<JObject>().ToList();
            var target = targets.Count == 1 ? targets[0] : throw new TemplateException($"{id}: the simulator deploys rules with one target, not {targets.Count}.");
            var pattern = p.GetObject("EventPattern") ?? throw new TemplateException($"{id}: the simulator deploys event-pattern rules only.");
            // The target's retry policy and dead-letter queue (the simulated SQS keeps what was given up).
            var settings = new JObjectBuilder();
            if (target.GetObject("RetryPolicy") is { } retryPolicy)
            {
                settings.Add("RetryPolicy", retryPolicy);
            }

            if (target.GetObject("DeadLetterConfig") is { } deadLetter && deadLetter["Arn"] is not null)
            {
                settings.Add("DeadLetterConfig", JObject.Of(("Arn", Text(deadLetter, "Arn", id + ".DeadLetterConfig"))));
            }

            account.Service<EventBridgeService>().AddRule(name, pattern, Text(target, "Arn", id), target.GetString("RoleArn"), settings.Build());
            if (target.GetString("Arn") is { } arn && _machinesByDefinition.FirstOrDefault(m => arn.EndsWith(":stateMachine:" + m.Value, StringComparison.Ordinal)) is { Key: { } definition })
            {
                _ruleByTarget[definition] = name;
            }

            var ruleArn = account.Arn("events", "rule/" + name);
            Set(id, name, ("Arn", ruleArn));
        }

        /// <summary>(Re-)registers a function with what the stack has said of it so far (its aliases arrive after it).</summary>
        private void RegisterFunction(string name)
        {
            var f = _functions[name];
            var p = f.Properties;
            account.Service<LambdaService>().RegisterPackagedFunction(name, f.CodeDirectory, new LambdaFunctionOptions
            {
                Aliases = f.Aliases,
                Handler = p.GetString("Handler"),
                Runtime = p.GetString("Runtime") ?? string.Empty,
                TimeoutSeconds = (int?)p.GetNumber("Timeout") ?? 3,
                MemorySize = (int?)p.GetNumber("MemorySize") ?? 128,
                Description = p.GetString("Description") ?? string.Empty,
                Tags = (p.GetArray("Tags") ?? JArray.Empty).OfType<JObject>().Where(t => t.GetString("Key") is not null)
                    .ToDictionary(t => t.GetString("Key")!, t => t.GetString("Value") ?? string.Empty, StringComparer.Ordinal),
            });
        }

        private JValue Reference(string id) =>
            _refs.TryGetValue(id, out var value) ? value : throw new TemplateException($"Ref {id}: not created (yet), or not a resource of the template.");

        private JValue Attribute(string id, string name) =>
            _attributes.TryGetValue((id, name), out var value) ? value : throw new TemplateException($"Fn::GetAtt {id}.{name}: the simulator has no such attribute.");

        private void Set(string id, string reference, params (string Name, string Value)[] attributes)
        {
            _refs[id] = new JString(reference);
            foreach (var (name, value) in attributes)
            {
                _attributes[(id, name)] = new JString(value);
            }
        }

        /// <summary>CloudFormation's generated name: stack name, logical id, random suffix, cut to the type's limit.</summary>
        private string PhysicalName(string id, int limit)
        {
            var suffix = ((uint)StableHash.Of(stackName + "/" + id)).ToString("X8", CultureInfo.InvariantCulture) + "AB12";
            var name = $"{stackName}-{id}-{suffix}";
            return name.Length <= limit ? name : $"{stackName}-{id}"[..Math.Max(1, limit - suffix.Length - 1)] + "-" + suffix;
        }

        private static string Text(JObject o, string member, string id) =>
            o[member] is { } value ? CloudFormationTemplate.Text(value, $"{id}.{member}") : throw new TemplateException($"{id}: {member} is required.");
    }

    private sealed record PendingFunction(string Name, string CodeDirectory, JObject Properties)
    {
        public IReadOnlyList<string> Aliases { get; init; } = [];
    }
}

/// <summary>The asset manifest <c>cdk synth</c> writes beside a template (<c>&lt;stack&gt;.assets.json</c>): object key to staged folder or file.</summary>
public sealed class CdkAssets
{
    private readonly Dictionary<string, string> _byObjectKey = new(StringComparer.Ordinal);

    private CdkAssets(string directory) => Directory = directory;

    public string Directory { get; }

    public static CdkAssets Load(string templatePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(templatePath))!;
        var assets = new CdkAssets(directory);
        var manifest = templatePath.Replace(".template.json", ".assets.json", StringComparison.Ordinal);
        if (!System.IO.File.Exists(manifest))
        {
            return assets;
        }

        foreach (var (_, file) in JValue.Parse(System.IO.File.ReadAllText(manifest)).AsObject().GetObject("files") ?? JObject.Empty)
        {
            var source = file.AsObject().GetObject("source")?.GetString("path");
            foreach (var (_, destination) in file.AsObject().GetObject("destinations") ?? JObject.Empty)
            {
                if (source is not null && destination.AsObject().GetString("objectKey") is { } key)
                {
                    assets._byObjectKey[key] = Path.Combine(directory, source);
                }
            }
        }

        return assets;
    }

    /// <summary>The staged folder of a zip asset (the code as Lambda unpacks it).</summary>
    public string? Folder(string objectKey) => _byObjectKey.TryGetValue(objectKey, out var path) && System.IO.Directory.Exists(path) ? path : null;

    public string? File(string objectKey) => _byObjectKey.TryGetValue(objectKey, out var path) && System.IO.File.Exists(path) ? path : null;
}
