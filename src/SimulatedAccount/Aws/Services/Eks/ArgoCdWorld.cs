using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Eks;

/// <summary>One Argo CD Application that an ApplicationSet generates for every cluster.</summary>
public sealed record ArgoCdApplicationTemplate(
    string Name,
    string Project,
    string RepoUrl,
    string Path,
    string TargetRevision,
    string DestinationNamespace,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The application's name on <paramref name="cluster"/>: <c>{{cluster}}</c> is replaced by the cluster name.</summary>
    public string NameFor(string cluster) => Name.Replace("{{cluster}}", cluster, StringComparison.Ordinal);
}

/// <summary>
/// The GitOps side of the world (section <c>eks.argocd</c>): which applications each cluster runs and where Argo
/// CD lives. Without <c>hubCluster</c>, every cluster runs its own Argo CD and lists its own applications; with it,
/// the hub lists the applications of every registered cluster (names usually carry <c>{{cluster}}</c>) and other
/// clusters have no Argo CD API (404).
/// </summary>
public sealed class ArgoCdWorld
{
    public string Namespace { get; private set; } = "argocd";

    public string? HubCluster { get; private set; }

    public List<ArgoCdApplicationTemplate> Applications { get; } = [];

    public void Seed(JObject? section, List<string> problems)
    {
        if (section is null)
        {
            return;
        }

        var r = new WorldReader(section, "eks.argocd", problems, "namespace", "hubCluster", "applications");
        Namespace = r.Str("namespace") ?? Namespace;
        HubCluster = r.Str("hubCluster");
        foreach (var (item, path) in r.Items("applications"))
        {
            var a = new WorldReader(item, path, problems, "name", "project", "repoURL", "path", "targetRevision", "destinationNamespace", "labels");
            Applications.Add(new ArgoCdApplicationTemplate(
                a.Req("name"),
                a.Str("project") ?? "default",
                a.Req("repoURL"),
                a.Req("path"),
                a.Str("targetRevision") ?? "HEAD",
                a.Req("destinationNamespace"),
                a.Map("labels")));
        }
    }
}
