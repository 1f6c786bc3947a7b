using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using BlueGreen.Deployment;
using BlueGreen.Functions.Handlers;
using Constructs;

namespace BlueGreen.Infra.Cdk.Components;

/// <summary>One deployed decision function: the function, its <c>live</c> alias and its log group.</summary>
public sealed record DeployedFunction(FunctionSpec Spec, Function Function, Alias Alias, LogGroup LogGroup)
{
    public FunctionDescriptor Descriptor => Spec.Descriptor;
}

/// <summary>
/// One Lambda function per <see cref="FunctionCatalog"/> entry, all from the same published-handlers asset, on the
/// managed <c>dotnet10</c> runtime with SnapStart on published versions. State machines call the <c>live</c> alias,
/// which points at the version published from the current code and configuration.
/// </summary>
public sealed class DecisionFunctions : Construct
{
    /// <summary>The alias every state machine calls (the manifest's; the simulator deploys the same).</summary>
    public const string AliasName = DeploymentManifest.FunctionAlias;

    // CDK 2.160 declares dotnet10 neither as a runtime constant nor as SnapStart-capable; both are true in AWS.
    public static Runtime DotNet10 { get; } = new(DeploymentManifest.FunctionRuntime, RuntimeFamily.DOTNET_CORE, new LambdaRuntimeProps { SupportsSnapStart = true });

    public DecisionFunctions(Construct scope, string id, IReadOnlyList<FunctionSpec> specs, string logGroupSuffix, string handlersDirectory, RetentionDays retention, int reservedConcurrency)
        : base(scope, id)
    {
        // One asset for all functions: CDK stages the directory once (same hash) and every function points at it.
        var code = Code.FromAsset(handlersDirectory);

        // SnapStart where Lambda offers it: a stack deployed to a Region without it would fail (cfn-lint E2530).
        SnapStartAvailable = new CfnCondition(this, "SnapStartAvailable", new CfnConditionProps
        {
            Expression = Fn.ConditionNot(AnyRegion(BlueGreen.LambdaRuntime.ManagedDotnetRuntime.RegionsWithoutSnapStart)),
        });
        var functions = new List<DeployedFunction>();
        foreach (var spec in specs)
        {
            var descriptor = spec.Descriptor;
            var name = spec.FunctionName;
            var logGroup = new LogGroup(this, descriptor.Name + "Logs", new LogGroupProps
            {
                // Kept when the stack is deleted: the suffix (the stack's own id) lets a re-created stack make new ones.
                LogGroupName = $"/aws/lambda/{name}-{logGroupSuffix}",
                Retention = retention,
                RemovalPolicy = RemovalPolicy.RETAIN,
            });

            // The decision functions call no AWS API: their role may only write their own logs.
            var role = new Role(this, descriptor.Name + "Role", new RoleProps
            {
                AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
                Description = $"Execution role of {name}: writes its own log group, nothing else.",
            });
            role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "WriteOwnLogs",
                Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resources = [logGroup.LogGroupArn],
            }));

            var function = new Function(this, descriptor.Name, new FunctionProps
            {
                FunctionName = name,
                Description = spec.Description,
                Runtime = DotNet10,
                // x86_64: ReadyToRun code is compiled for linux-x64 (the arm64 runtime pack does not restore here).
                Architecture = Architecture.X86_64,
                Handler = spec.Handler,
                Code = code,
                MemorySize = spec.MemoryMb,
                Timeout = Duration.Seconds(spec.TimeoutSeconds),
                Role = role,
                LogGroup = logGroup,
                LoggingFormat = LoggingFormat.JSON,
                SnapStart = SnapStartConf.ON_PUBLISHED_VERSIONS,
                ReservedConcurrentExecutions = reservedConcurrency > 0 ? reservedConcurrency : null,
                // Superseded versions go away on the next deploy (the alias has moved; executions call the alias),
                // so old SnapStart snapshots are not kept, and billed, forever.
                CurrentVersionOptions = new VersionOptions { RemovalPolicy = RemovalPolicy.DESTROY },
            });

            // Spelled as plain JSON: jsii cannot pass CDK's Fn::If token through a property override.
            ((CfnFunction)function.Node.DefaultChild!).AddPropertyOverride("SnapStart", new Dictionary<string, object>
            {
                ["Fn::If"] = new object[]
                {
                    Stack.Of(this).GetLogicalId(SnapStartAvailable),
                    new Dictionary<string, object> { ["ApplyOn"] = "PublishedVersions" },
                    new Dictionary<string, object> { ["Ref"] = "AWS::NoValue" },
                },
            });

            // CDK warns that SnapStart applies to published versions only: CurrentVersion below is that version.
            Annotations.Of(function).AcknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish", "The live alias points at the version CDK publishes (CurrentVersion).");

            var alias = new Alias(this, descriptor.Name + "Live", new AliasProps
            {
                AliasName = AliasName,
                Version = function.CurrentVersion,
                Description = "The version the state machines call.",
            });
            functions.Add(new DeployedFunction(spec, function, alias, logGroup));
        }

        All = functions;
    }

    public IReadOnlyList<DeployedFunction> All { get; }

    /// <summary>True in the Regions where Lambda offers SnapStart; the functions use it only there.</summary>
    public CfnCondition SnapStartAvailable { get; }

    /// <summary>Fn::Or of one Fn::Equals per Region (Fn::Or takes 2 to 10 conditions, so longer lists nest).</summary>
    private static ICfnConditionExpression AnyRegion(IReadOnlyList<string> regions)
    {
        var equals = regions.Select(r => (ICfnConditionExpression)Fn.ConditionEquals(Aws.REGION, r)).ToList();
        while (equals.Count > 1)
        {
            equals = equals.Chunk(10).Select(group => group.Length == 1 ? group[0] : Fn.ConditionOr(group)).ToList();
        }

        return equals[0];
    }
}
