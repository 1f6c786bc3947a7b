using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Iam;

/// <summary>A role in the simulated account: who may assume it (its trust policy) and what it may do (its policies).</summary>
public sealed class IamRole(string name, string arn, PolicyDocument trustPolicy)
{
    private readonly List<PolicyDocument> _policies = [];

    public string Name { get; } = name;

    public string Arn { get; } = arn;

    public PolicyDocument TrustPolicy { get; } = trustPolicy;

    /// <summary>Inline and attached managed policies alike: IAM evaluates their union.</summary>
    public IReadOnlyList<PolicyDocument> Policies => _policies;

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    public void AttachPolicy(PolicyDocument policy) => _policies.Add(policy);

    /// <summary>Takes <paramref name="action"/> out of every Allow statement (what a policy edited by hand, or drifted, would look like).</summary>
    public void RemoveAction(string action)
    {
        for (var i = 0; i < _policies.Count; i++)
        {
            var policy = _policies[i];
            var statements = policy.Statements
                .Select(s => s.Effect == PolicyEffect.Allow && s.Actions is { } actions ? s with { Actions = actions.Where(a => !string.Equals(a, action, StringComparison.OrdinalIgnoreCase)).ToList() } : s)
                .Where(s => s.Actions is not { Count: 0 })
                .ToList();
            _policies[i] = policy with { Statements = statements };
        }
    }
}

/// <summary>
/// AWS Identity and Access Management, as far as the simulated account needs it: roles with trust policies and
/// identity-based policies, and the decision whether a role may make a call (<see cref="Authorize"/>). A role that is
/// not registered here is not checked: worlds without a deployment (engine and service tests) run unauthorized, the
/// way Step Functions Local does. GetRole and ListAttachedRolePolicies answer for registered roles.
/// </summary>
public sealed class IamService : AwsServiceBase
{
    private readonly Dictionary<string, IamRole> _roles = new(StringComparer.Ordinal);
    private SimulatedAccount? _account;

    public IamService()
    {
        On("GetRole", GetRole);
        On("ListAttachedRolePolicies", ListAttachedRolePolicies);
    }

    public override string SdkName => "iam";

    public override string ErrorPrefix => "Iam";

    public override string IamPrefix => "iam";

    public override string ThrottlingErrorCode => "Throttling";

    public override string InternalErrorCode => "ServiceFailure";

    public override string ValidationErrorCode => "InvalidInput";

    public IReadOnlyCollection<IamRole> Roles => _roles.Values;

    private SimulatedAccount Account => _account ?? throw new InvalidOperationException("IAM is not attached to an account.");

    public override void Attach(SimulatedAccount account) => _account = account;

    public string RoleArn(string name) => $"arn:aws:iam::{Account.AccountId}:role/{name}";

    /// <summary>Creates a role (or replaces one of the same name) with its trust policy.</summary>
    public IamRole CreateRole(string name, PolicyDocument trustPolicy)
    {
        ArgumentNullException.ThrowIfNull(trustPolicy);
        if (name.Length is 0 or > 64)
        {
            throw new ArgumentException($"'{name}' is not a valid role name (1-64 characters).", nameof(name));
        }

        var role = new IamRole(name, RoleArn(name), trustPolicy);
        _roles[role.Arn] = role;
        return role;
    }

    public IamRole? Role(string arn) => _roles.GetValueOrDefault(arn);

    /// <summary>
    /// Whether <paramref name="roleArn"/> may make <paramref name="request"/>; null when the role is not registered (not
    /// checked, see the class summary).
    /// </summary>
    public AuthorizationResult? Authorize(string roleArn, AuthorizationRequest request) =>
        _roles.TryGetValue(roleArn, out var role) ? PolicyEvaluator.Evaluate(role.Policies, request) : null;

    /// <summary>
    /// Whether <paramref name="service"/> (<c>states.amazonaws.com</c>) may assume the role for <paramref name="sourceAccount"/>:
    /// its trust policy must allow <c>sts:AssumeRole</c> to that service principal, conditions included.
    /// </summary>
    public bool Trusts(string roleArn, string service, string sourceAccount, string? sourceArn = null)
    {
        if (!_roles.TryGetValue(roleArn, out var role))
        {
            return true;
        }

        var context = RequestContext.Empty.With("aws:SourceAccount", sourceAccount);
        if (sourceArn is not null)
        {
            context = context.With("aws:SourceArn", sourceArn);
        }

        var request = new AuthorizationRequest("sts:AssumeRole", roleArn, context);
        var statements = role.TrustPolicy.Statements.Where(s => s.Principals.Contains("Service:" + service, StringComparer.Ordinal) || s.Principals.Contains("*")).ToList();
        return statements.Any(s => s.Effect == PolicyEffect.Allow && PolicyEvaluator.Applies(s, request))
            && !statements.Any(s => s.Effect == PolicyEffect.Deny && PolicyEvaluator.Applies(s, request));
    }

    private JObject GetRole(JObject parameters, AwsCallContext context)
    {
        var name = Read(parameters).RequiredString("RoleName");
        var role = _roles.Values.FirstOrDefault(r => r.Name == name) ?? throw new AwsServiceException("NoSuchEntity", $"The role with name {name} cannot be found.");
        return JObject.Of(("Role", JObject.Of(("RoleName", role.Name), ("Arn", role.Arn), ("Path", "/"))));
    }

    private JObject ListAttachedRolePolicies(JObject parameters, AwsCallContext context)
    {
        var name = Read(parameters).RequiredString("RoleName");
        var role = _roles.Values.FirstOrDefault(r => r.Name == name) ?? throw new AwsServiceException("NoSuchEntity", $"The role with name {name} cannot be found.");
        return JObject.Of(("AttachedPolicies", JArray.From(role.Policies.Select(p => (JValue)JObject.Of(("PolicyName", p.Name))))), ("IsTruncated", false));
    }
}
