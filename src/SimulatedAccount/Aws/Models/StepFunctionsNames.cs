using System.Collections.Frozen;
using System.Text;

namespace BlueGreen.Simulator.Aws.Models;

/// <summary>
/// How Step Functions names a service's API members in SDK-integration <c>Parameters</c>.
/// </summary>
/// <remarks>
/// <para>
/// The Step Functions guide ("Learning to use AWS service SDK integrations", API naming conventions) says
/// parameters are PascalCase even where the service API is camelCase (<c>StateMachineArn</c> for sfn's
/// <c>stateMachineArn</c>); that list members take the member's (plural) model name rather than the
/// EC2/Query wire name (<c>Filters</c>, not <c>Filter.N</c>); and that members named <c>equals</c> are
/// called <c>EqualsValue</c>. The names are those of the AWS SDK for Java 2.x, whose naming strategy
/// also folds a leading acronym: RDS's <c>DBClusterIdentifier</c> is <c>DbClusterIdentifier</c> in
/// production state machines, its fault <c>InvalidDBClusterStateFault</c> is caught as
/// <c>Rds.InvalidDbClusterStateException</c>, and DynamoDB results carry <c>Bool</c>, <c>Nul</c> and
/// <c>Ss</c> for <c>BOOL</c>, <c>NULL</c> and <c>SS</c> (aws/aws-sdk-js#4294, boto/boto3#4253).
/// </para>
/// <para>
/// So the canonical parameter name is the Java bean name with its first letter raised. The model name with
/// its first letter raised (<c>TTL</c>, <c>DNSName</c>, <c>OKActions</c>, <c>BOOL</c>) is accepted as well:
/// the optimized DynamoDB integration takes the wire names, state machines in the wild use both spellings
/// for Route 53's <c>TTL</c>, and nothing shows Step Functions refusing them. Lower-case first letters are
/// refused, as AWS refuses Batch's documented <c>onStatusReason</c>.
/// </para>
/// </remarks>
public static class StepFunctionsNames
{
    // Java keywords and literals, and java.lang.Object's methods: the Java SDK appends "Value" to such names.
    private static readonly FrozenSet<string> JavaReserved = new[]
    {
        "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
        "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
        "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
        "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
        "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null",
        "equals", "hashCode", "getClass", "toString", "clone", "finalize", "notify", "notifyAll", "wait",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Renames made by the Java SDK's per-service customizations, by sdk name and "Shape.member".
    private static readonly FrozenDictionary<(string SdkName, string Member), string> Customized = new Dictionary<(string, string), string>
    {
        [("dynamodb", "AttributeValue.NULL")] = "Nul",
    }.ToFrozenDictionary();

    /// <summary>
    /// The Java SDK 2.x member name (its <c>Utils.unCapitalize</c>): the leading run of capitals is lowered,
    /// except a last capital that starts a word. <c>DBClusterIdentifier</c> → <c>dbClusterIdentifier</c>,
    /// <c>VPCs</c> → <c>vpCs</c>, <c>TTL</c> → <c>ttl</c>, <c>nodegroupName</c> unchanged.
    /// </summary>
    public static string JavaMemberName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var sb = new StringBuilder(name.Length);
        var i = 0;
        do
        {
            sb.Append(char.ToLowerInvariant(name[i++]));
        }
        while (i < name.Length && char.IsUpper(name[i]) && !(i < name.Length - 1 && char.IsLower(name[i + 1])));

        sb.Append(name, i, name.Length - i);
        return sb.ToString();
    }

    /// <summary>The canonical Step Functions parameter name of member <paramref name="memberName"/> of <paramref name="shapeName"/>.</summary>
    public static string ParameterName(string sdkName, string shapeName, string memberName)
    {
        if (Customized.TryGetValue((sdkName, $"{shapeName}.{memberName}"), out var renamed))
        {
            return renamed;
        }

        var java = JavaMemberName(memberName);
        if (JavaReserved.Contains(java))
        {
            java += "Value";
        }

        return Capitalize(java);
    }

    /// <summary>Every name accepted for the member: the canonical one, then the model name with its first letter raised.</summary>
    public static IReadOnlyList<string> AcceptedNames(string sdkName, string shapeName, string memberName)
    {
        var canonical = ParameterName(sdkName, shapeName, memberName);
        var modelName = Capitalize(memberName);
        var renamedForJava = JavaReserved.Contains(JavaMemberName(memberName)) && !Customized.ContainsKey((sdkName, $"{shapeName}.{memberName}"));
        return canonical == modelName || renamedForJava ? [canonical] : [canonical, modelName];
    }

    private static string Capitalize(string name) =>
        name.Length == 0 || char.IsUpper(name[0]) ? name : char.ToUpperInvariant(name[0]) + name[1..];
}
