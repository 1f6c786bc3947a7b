using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.SecretsManager;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Aws.Services.SecretsManager;

public sealed class SecretsManagerServiceTests : IDisposable
{
    private const string GreenEndpoint = "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-2.eks.amazonaws.com";

    private readonly PlatformHarness _h = new();

    public void Dispose() => _h.Dispose();

    private SecretsManagerService Secrets => _h.Service<SecretsManagerService>();

    private JObject Create(string name, string? value = null, JArray? tags = null)
    {
        var request = new JObjectBuilder().Add("Name", name);
        if (value is not null)
        {
            request.Add("SecretString", value);
        }

        if (tags is not null)
        {
            request.Add("Tags", tags);
        }

        return _h.Call("secretsmanager", "CreateSecret", request.Build());
    }

    private static JArray ClusterTag() => JArray.Of(JObject.Of(("Key", GitOpsRegistry.ArgoCdSecretTypeLabel), ("Value", "cluster")));

    private static string ClusterSecret(string name, string server, string? awsAuthCluster = null) =>
        JObject.Of(
            ("name", name),
            ("server", server),
            ("config", JObject.Of(
                ("awsAuthConfig", awsAuthCluster is null ? JObject.Empty : JObject.Of(("clusterName", awsAuthCluster), ("roleARN", "arn:aws:iam::111122223333:role/argocd"))),
                ("tlsClientConfig", JObject.Of(("caData", "LS0tLS1CRUdJTi==")))).ToJson())).ToJson();

    [Fact]
    public void CreateThenGet_ReturnsTheValueWithItsVersionAndStage()
    {
        var created = Create("bluegreen/shop", """{"user":"app"}""");

        var value = _h.Call("secretsmanager", "GetSecretValue", JObject.Of(("SecretId", "bluegreen/shop")));
        var byArn = _h.Call("secretsmanager", "GetSecretValue", JObject.Of(("SecretId", created.GetString("Arn")!)));
        var byPartialArn = _h.Call("secretsmanager", "GetSecretValue", JObject.Of(("SecretId", created.GetString("Arn")![..^7])));

        Assert.Matches(@"^arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:bluegreen/shop-[A-Za-z]{6}$", created.GetString("Arn"));
        Assert.Equal("""{"user":"app"}""", value.GetString("SecretString"));
        Assert.Equal(created.GetString("VersionId"), value.GetString("VersionId"));
        Assert.Equal(["AWSCURRENT"], value.GetArray("VersionStages")!.Select(s => s.AsString()));
        Assert.Equal(value, byArn);
        Assert.Equal(value, byPartialArn);
    }

    [Fact]
    public void PutSecretValue_MovesAwsCurrent_AndLabelsThePreviousVersionAwsPrevious()
    {
        var v1 = Create("s", "one").GetString("VersionId")!;
        var v2 = _h.Call("secretsmanager", "PutSecretValue", JObject.Of(("SecretId", "s"), ("SecretString", "two"))).GetString("VersionId")!;
        var v3 = _h.Call("secretsmanager", "PutSecretValue", JObject.Of(("SecretId", "s"), ("SecretString", "three"))).GetString("VersionId")!;

        var stages = _h.Call("secretsmanager", "DescribeSecret", JObject.Of(("SecretId", "s"))).GetObject("VersionIdsToStages")!;
        var previous = _h.Call("secretsmanager", "GetSecretValue", JObject.Of(("SecretId", "s"), ("VersionStage", "AWSPREVIOUS")));

        Assert.False(stages.ContainsKey(v1));
        Assert.Equal("""["AWSPREVIOUS"]""", stages[v2]!.ToJson());
        Assert.Equal("""["AWSCURRENT"]""", stages[v3]!.ToJson());
        Assert.Equal("two", previous.GetString("SecretString"));
    }

    [Fact]
    public void ClientRequestToken_SameValueIsIdempotent_DifferentValueIsRefused()
    {
        Create("s", "one");
        var token = new string('a', 32);

        var first = _h.Call("secretsmanager", "PutSecretValue", JObject.Of(("SecretId", "s"), ("SecretString", "two"), ("ClientRequestToken", token)));
        var again = _h.Call("secretsmanager", "PutSecretValue", JObject.Of(("SecretId", "s"), ("SecretString", "two"), ("ClientRequestToken", token)));
        var changed = _h.CallFails("secretsmanager", "PutSecretValue", JObject.Of(("SecretId", "s"), ("SecretString", "three"), ("ClientRequestToken", token)));

        Assert.Equal(token, first.GetString("VersionId"));
        Assert.Equal(first, again);
        Assert.Equal("SecretsManager.ResourceExistsException", changed.Error);
    }

    [Fact]
    public void Errors_HaveTheSecretsManagerNames()
    {
        Create("s", "one");
        Create("empty");

        Assert.Equal("SecretsManager.ResourceExistsException", _h.CallFails("secretsmanager", "CreateSecret", JObject.Of(("Name", "s"), ("SecretString", "x"))).Error);
        Assert.Equal("SecretsManager.ResourceNotFoundException", _h.CallFails("secretsmanager", "GetSecretValue", JObject.Of(("SecretId", "nope"))).Error);
        var noValue = _h.CallFails("secretsmanager", "GetSecretValue", JObject.Of(("SecretId", "empty")));
        Assert.Equal("SecretsManager.ResourceNotFoundException", noValue.Error);
        Assert.Equal("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT", noValue.Cause);
        Assert.Equal("SecretsManager.InvalidParameterException", _h.CallFails("secretsmanager", "CreateSecret", JObject.Of(("Name", "both"), ("SecretString", "x"), ("SecretBinary", "eA=="))).Error);
        Assert.Equal("SecretsManager.InvalidParameterException", _h.CallFails("secretsmanager", "DeleteSecret", JObject.Of(("SecretId", "s"), ("RecoveryWindowInDays", 7), ("ForceDeleteWithoutRecovery", true))).Error);
    }

    [Fact]
    public void DeleteSecret_WithRecoveryWindow_BlocksUseUntilRestoredOrTheWindowEnds()
    {
        Create("s", "one");

        var deleted = _h.Call("secretsmanager", "DeleteSecret", JObject.Of(("SecretId", "s"), ("RecoveryWindowInDays", 7)));
        var read = _h.CallFails("secretsmanager", "GetSecretValue", JObject.Of(("SecretId", "s")));
        var recreate = _h.CallFails("secretsmanager", "CreateSecret", JObject.Of(("Name", "s"), ("SecretString", "x")));
        var described = _h.Call("secretsmanager", "DescribeSecret", JObject.Of(("SecretId", "s")));
        var listed = _h.Call("secretsmanager", "ListSecrets", JObject.Empty).GetArray("SecretList")!;
        var listedWithDeleted = _h.Call("secretsmanager", "ListSecrets", JObject.Of(("IncludePlannedDeletion", true))).GetArray("SecretList")!;
        _h.Call("secretsmanager", "RestoreSecret", JObject.Of(("SecretId", "s")));
        var restored = _h.Call("secretsmanager", "GetSecretValue", JObject.Of(("SecretId", "s")));

        Assert.Equal("2026-11-30T09:00:00.000Z", deleted.GetString("DeletionDate"));
        Assert.Equal("SecretsManager.InvalidRequestException", read.Error);
        Assert.Equal("SecretsManager.InvalidRequestException", recreate.Error);
        Assert.True(described.ContainsKey("DeletedDate"));
        Assert.Empty(listed);
        Assert.Single(listedWithDeleted);
        Assert.Equal("one", restored.GetString("SecretString"));

        _h.Call("secretsmanager", "DeleteSecret", JObject.Of(("SecretId", "s")));
        _h.Advance(TimeSpan.FromDays(31));
        Assert.Equal("SecretsManager.ResourceNotFoundException", _h.CallFails("secretsmanager", "DescribeSecret", JObject.Of(("SecretId", "s"))).Error);
        Assert.Equal("SecretsManager.ResourceNotFoundException", _h.CallFails("secretsmanager", "DescribeSecret", JObject.Of(("SecretId", "nope"))).Error);
        Create("s", "new life");
    }

    [Fact]
    public void DeleteSecret_ForceDeleteWithoutRecovery_FreesTheNameAtOnce()
    {
        Create("s", "one");

        _h.Call("secretsmanager", "DeleteSecret", JObject.Of(("SecretId", "s"), ("ForceDeleteWithoutRecovery", true)));

        Assert.Equal("SecretsManager.ResourceNotFoundException", _h.CallFails("secretsmanager", "GetSecretValue", JObject.Of(("SecretId", "s"))).Error);
        Create("s", "two");
    }

    [Fact]
    public void UpdateSecretAndTags_AreReportedByDescribeAndListFilters()
    {
        Create("bluegreen/shop", "one", JArray.Of(JObject.Of(("Key", "team"), ("Value", "shop"))));
        Create("bluegreen/cart", "one");
        Create("other", "one");

        var updated = _h.Call("secretsmanager", "UpdateSecret", JObject.Of(("SecretId", "bluegreen/shop"), ("Description", "Argo CD cluster"), ("SecretString", "two")));
        _h.Call("secretsmanager", "TagResource", JObject.Of(("SecretId", "bluegreen/cart"), ("Tags", JArray.Of(JObject.Of(("Key", "team"), ("Value", "cart"))))));
        var byName = _h.Call("secretsmanager", "ListSecrets", JObject.Of(("Filters", JArray.Of(JObject.Of(("Key", "name"), ("Values", JArray.Of("bluegreen/")))))));
        var byTag = _h.Call("secretsmanager", "ListSecrets", JObject.Of(("Filters", JArray.Of(JObject.Of(("Key", "tag-value"), ("Values", JArray.Of("cart")))))));
        var notShop = _h.Call("secretsmanager", "ListSecrets", JObject.Of(("Filters", JArray.Of(JObject.Of(("Key", "name"), ("Values", JArray.Of("!bluegreen/shop")))))));
        var described = _h.Call("secretsmanager", "DescribeSecret", JObject.Of(("SecretId", "bluegreen/shop")));

        Assert.NotNull(updated.GetString("VersionId"));
        Assert.Equal("Argo CD cluster", described.GetString("Description"));
        Assert.Equal(["bluegreen/shop", "bluegreen/cart"], byName.GetArray("SecretList")!.Select(s => s.AsObject().GetString("Name")));
        Assert.Equal(["bluegreen/cart"], byTag.GetArray("SecretList")!.Select(s => s.AsObject().GetString("Name")));
        Assert.Equal(["bluegreen/cart", "other"], notShop.GetArray("SecretList")!.Select(s => s.AsObject().GetString("Name")));
    }

    [Fact]
    public void ArgoCdClusterSecret_FromAStateMachine_RegistersTheClusterWithGitOps()
    {
        var summary = _h.Run("""
            {"StartAt":"Register Green with Argo CD","States":{"Register Green with Argo CD":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:secretsmanager:createSecret",
              "Parameters":{"Name.$":"States.Format('argocd/clusters/{}', $.green)",
                            "SecretString.$":"States.JsonToString($.argo)",
                            "Tags":[{"Key":"argocd.argoproj.io/secret-type","Value":"cluster"}]},"End":true}}}
            """, JValue.Parse("""{"green":"shop-green","argo":{"name":"shop-green","server":"ENDPOINT","config":"{}"}}""".Replace("ENDPOINT", GreenEndpoint, StringComparison.Ordinal)));

        Assert.Equal("SUCCEEDED", summary.Status);
        Assert.Equal(_h.Start, _h.Account.Workloads.Get("shop-green").GitOpsRegisteredAt);
        var registration = Assert.Single(_h.Account.GitOps.Registrations);
        Assert.Equal(("argocd/clusters/shop-green", "shop-green", "name"), (registration.SecretName, registration.Cluster, registration.DerivedFrom));
    }

    [Fact]
    public void ArgoCdClusterSecret_ClusterNameComesFromTheEksEndpointFirst_ThenAwsAuthConfig_ThenName()
    {
        using var h = new PlatformHarness();
        h.Account.Clusters.Register(new FakeEks(("shop-green", GreenEndpoint)));
        var call = (string name, string value) => h.Call("secretsmanager", "CreateSecret", JObject.Of(("Name", name), ("SecretString", value), ("Tags", ClusterTag())));

        call("by-endpoint", ClusterSecret("green", GreenEndpoint + "/"));
        call("by-auth", ClusterSecret("green", "https://unknown.eks.amazonaws.com", awsAuthCluster: "cart-green"));
        call("by-name", ClusterSecret("pay-green", "https://unknown.eks.amazonaws.com"));

        Assert.Equal(
            [("shop-green", "server"), ("cart-green", "config.awsAuthConfig.clusterName"), ("pay-green", "name")],
            h.Account.GitOps.Registrations.Select(r => (r.Cluster, r.DerivedFrom)));
        Assert.NotNull(h.Account.Workloads.Get("shop-green").GitOpsRegisteredAt);
    }

    [Fact]
    public void ArgoCdClusterSecret_LabelInThePayloadOrAddedLaterByTagResource_AlsoRegisters()
    {
        var manifest = JObject.Of(
            ("metadata", JObject.Of(("labels", JObject.Of((GitOpsRegistry.ArgoCdSecretTypeLabel, "cluster"))))),
            ("stringData", JObject.Of(("name", "shop-green"), ("server", GreenEndpoint)))).ToJson();
        Create("manifest", manifest);
        Create("tagged-later", ClusterSecret("cart-green", GreenEndpoint));
        Assert.Equal(["shop-green"], _h.Account.GitOps.Registrations.Select(r => r.Cluster));

        _h.Call("secretsmanager", "TagResource", JObject.Of(("SecretId", "tagged-later"), ("Tags", ClusterTag())));

        Assert.Equal(["shop-green", "cart-green"], _h.Account.GitOps.Registrations.Select(r => r.Cluster));
    }

    [Fact]
    public void SecretsThatAreNotArgoCdClusterSecrets_RegisterNothing()
    {
        Create("no-label", ClusterSecret("shop-green", GreenEndpoint));
        Create("repo-secret", ClusterSecret("shop-green", GreenEndpoint), JArray.Of(JObject.Of(("Key", GitOpsRegistry.ArgoCdSecretTypeLabel), ("Value", "repository"))));
        Create("not-json", "shop-green", ClusterTag());
        Create("no-server", """{"name":"shop-green"}""", ClusterTag());

        Assert.Empty(_h.Account.GitOps.Registrations);
        Assert.Null(_h.Account.Workloads.Get("shop-green").GitOpsRegisteredAt);
    }

    [Fact]
    public void WorldSection_SeedsSecrets_IncludingArgoCdClusterSecretsOfExistingClusters()
    {
        using var h = new PlatformHarness(JObject.Of(("secretsmanager", JValue.Parse("""
            {"secrets":[{"name":"argocd/clusters/shop-blue","tags":{"argocd.argoproj.io/secret-type":"cluster"},
                         "secretString":{"name":"shop-blue","server":"https://blue.example","config":"{}"}}]}
            """))));

        var value = h.Call("secretsmanager", "GetSecretValue", JObject.Of(("SecretId", "argocd/clusters/shop-blue")));

        Assert.Equal("shop-blue", JValue.Parse(value.GetString("SecretString")!).AsObject().GetString("name"));
        Assert.NotNull(h.Account.Workloads.Get("shop-blue").GitOpsRegisteredAt);
    }

    [Fact]
    public void DynamicReference_ResolvesTheCurrentValue_AKeyOfAJsonSecret_AndFailsForAMissingSecret()
    {
        Create("bluegreen-dev/chat/slack-bot-token", "Bearer xoxb-1");
        Create("app/json", """{"token":"xoxb-2"}""");

        Assert.Equal("Bearer xoxb-1", Secrets.ResolveDynamicReferences("{{resolve:secretsmanager:bluegreen-dev/chat/slack-bot-token:SecretString}}"));
        Assert.Equal("a xoxb-2 b", Secrets.ResolveDynamicReferences("a {{resolve:secretsmanager:app/json:SecretString:token}} b"));
        var e = Assert.Throws<InvalidOperationException>(() => Secrets.ResolveDynamicReferences("{{resolve:secretsmanager:nobody:SecretString}}"));
        Assert.Contains("can't find the specified secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultWorld_RegistersBlueWithGitOps()
    {
        using var account = AccountFactory.Create(Scenario.FromJson("default-world", JObject.Of(("world", "default"))));

        Assert.NotNull(account.Workloads.Get("shop-blue").GitOpsRegisteredAt);
        Assert.Equal("argocd/clusters/shop-blue", Assert.Single(account.GitOps.Registrations).SecretName);
    }

    /// <summary>Just enough EKS for endpoint lookups (the real simulated EKS is another service).</summary>
    /// <summary>EKS as the cluster directory sees it: clusters answering at their endpoints.</summary>
    private sealed class FakeEks(params (string Name, string Endpoint)[] clusters) : IClusterEndpoints
    {
        public string? ClusterAt(string endpoint) =>
            clusters.FirstOrDefault(c => string.Equals(c.Endpoint.TrimEnd('/'), endpoint, StringComparison.OrdinalIgnoreCase)).Name;
    }
}
