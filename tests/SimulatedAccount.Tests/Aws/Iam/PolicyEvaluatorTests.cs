using BlueGreen.Simulator.Aws.Iam;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Tests.Aws.Iam;

/// <summary>IAM policy evaluation as the IAM User Guide describes it (evaluation logic, Resource, condition operators, multivalued keys).</summary>
public class PolicyEvaluatorTests
{
    private const string Rule = "arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener-rule/app/shop-alb/50dc/f2f7/9683";

    private static PolicyDocument Policy(string statements) => PolicyDocument.Parse("test", JValue.Parse($$"""{"Version":"2012-10-17","Statement":{{statements}}}"""));

    private static AuthorizationDecision Decide(string statements, string action, string resource, RequestContext? context = null) =>
        PolicyEvaluator.Evaluate([Policy(statements)], new AuthorizationRequest(action, resource, context ?? RequestContext.Empty)).Decision;

    [Theory]
    [InlineData("arn:aws:eks:ap-northeast-2:111122223333:cluster/shop-*", "arn:aws:eks:ap-northeast-2:111122223333:cluster/shop-green", true)]
    [InlineData("arn:aws:eks:ap-northeast-2:111122223333:cluster/shop-*", "arn:aws:eks:ap-northeast-2:111122223333:cluster/payments-green", false)]
    [InlineData("arn:aws:eks:*:111122223333:cluster/shop-*", "arn:aws:eks:us-east-1:111122223333:cluster/shop-green", true)]
    [InlineData("arn:aws:eks:ap-northeast-?:111122223333:cluster/*", "arn:aws:eks:ap-northeast-2:111122223333:cluster/x", true)]
    [InlineData("arn:aws:lambda:ap-northeast-2:111122223333:function:hook", "arn:aws:lambda:ap-northeast-2:111122223333:function:hook:live", false)]
    [InlineData("arn:aws:lambda:ap-northeast-2:111122223333:function:hook:*", "arn:aws:lambda:ap-northeast-2:111122223333:function:hook:live", true)]
    [InlineData("arn:aws:lambda:ap-northeast-2:111122223333:function:hook:*", "arn:aws:lambda:ap-northeast-2:111122223333:function:hook", false)]
    [InlineData("arn:aws:lambda:ap-northeast-2:111122223333:function:*", "arn:aws:lambda:ap-northeast-2:111122223333:function:hook:live", true)]
    [InlineData("arn:aws:iam::111122223333:role/shop-eks-node-role", "arn:aws:iam::111122223333:role/SHOP-eks-node-role", false)]
    [InlineData("arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:argocd/clusters/shop-*", "arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:argocd/clusters/shop-green-AbC123", true)]
    [InlineData("*", "arn:aws:anything:::x", true)]
    public void ArnMatches_SegmentsAndTheResourcePart(string pattern, string arn, bool matches) =>
        Assert.Equal(matches, PolicyEvaluator.ArnMatches(pattern, arn));

    [Fact]
    public void ArnMatches_AWildcardInTheRegionDoesNotSpanAColon() =>
        // "a * in the region component cannot swallow ':'" (ARN condition operators): this pattern has too few segments.
        Assert.False(PolicyEvaluator.ArnMatches("arn:aws:eks:*:cluster/shop-green", "arn:aws:eks:ap-northeast-2:111122223333:cluster/shop-green"));

    [Fact]
    public void Evaluate_NoStatement_ImplicitDeny_AnAllow_Allowed_AnyDeny_WinsOverAllow()
    {
        var allow = """[{"Effect":"Allow","Action":"elasticloadbalancing:ModifyRule","Resource":"*"}]""";
        var both = """[{"Effect":"Allow","Action":"elasticloadbalancing:*","Resource":"*"},{"Effect":"Deny","Action":"elasticloadbalancing:ModifyRule","Resource":"*"}]""";

        Assert.Equal(AuthorizationDecision.ImplicitDeny, Decide("[]", "elasticloadbalancing:ModifyRule", Rule));
        Assert.Equal(AuthorizationDecision.Allowed, Decide(allow, "elasticloadbalancing:ModifyRule", Rule));
        Assert.Equal(AuthorizationDecision.ExplicitDeny, Decide(both, "elasticloadbalancing:ModifyRule", Rule));
        Assert.Equal(AuthorizationDecision.Allowed, Decide(both, "elasticloadbalancing:ModifyListener", Rule));
    }

    [Fact]
    public void Evaluate_ActionsMatchWithoutRegardToCase_NotActionExcludes()
    {
        Assert.Equal(AuthorizationDecision.Allowed, Decide("""[{"Effect":"Allow","Action":"EKS:describe*","Resource":"*"}]""", "eks:DescribeCluster", "*"));
        Assert.Equal(AuthorizationDecision.ImplicitDeny, Decide("""[{"Effect":"Allow","NotAction":"eks:Delete*","Resource":"*"}]""", "eks:DeleteCluster", "*"));
        Assert.Equal(AuthorizationDecision.Allowed, Decide("""[{"Effect":"Allow","NotAction":"eks:Delete*","Resource":"*"}]""", "eks:CreateCluster", "*"));
    }

    [Fact]
    public void Evaluate_ResourceTagCondition_NeedsTheTagOnTheResource()
    {
        var statement = """[{"Effect":"Allow","Action":"elasticloadbalancing:ModifyRule","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/bluegreen:traffic":"bluegreen-dev"}}}]""";
        var tagged = RequestContext.Empty.WithResourceTags(new Dictionary<string, string> { ["bluegreen:traffic"] = "bluegreen-dev" });
        var otherEnvironment = RequestContext.Empty.WithResourceTags(new Dictionary<string, string> { ["bluegreen:traffic"] = "bluegreen-prd" });

        Assert.Equal(AuthorizationDecision.Allowed, Decide(statement, "elasticloadbalancing:ModifyRule", Rule, tagged));
        Assert.Equal(AuthorizationDecision.ImplicitDeny, Decide(statement, "elasticloadbalancing:ModifyRule", Rule, otherEnvironment));
        Assert.Equal(AuthorizationDecision.ImplicitDeny, Decide(statement, "elasticloadbalancing:ModifyRule", Rule));
    }

    [Fact]
    public void Condition_KeyNamesAreCaseInsensitive_ValuesAreNot()
    {
        var context = RequestContext.Empty.With("iam:PassedToService", "eks.amazonaws.com");

        Assert.True(PolicyEvaluator.ConditionMatches(new PolicyCondition("StringEquals", "IAM:passedtoservice", ["eks.amazonaws.com"]), context));
        Assert.False(PolicyEvaluator.ConditionMatches(new PolicyCondition("StringEquals", "iam:PassedToService", ["EKS.amazonaws.com"]), context));
        Assert.True(PolicyEvaluator.ConditionMatches(new PolicyCondition("StringEqualsIgnoreCase", "iam:PassedToService", ["EKS.amazonaws.com"]), context));
    }

    [Fact]
    public void Condition_ValuesOfOneKeyAreOred_NegatedOperatorsMatchNone()
    {
        var context = RequestContext.Empty.With("iam:PassedToService", "pods.eks.amazonaws.com");

        Assert.True(PolicyEvaluator.ConditionMatches(new PolicyCondition("StringEquals", "iam:PassedToService", ["eks.amazonaws.com", "pods.eks.amazonaws.com"]), context));
        Assert.False(PolicyEvaluator.ConditionMatches(new PolicyCondition("StringNotEquals", "iam:PassedToService", ["eks.amazonaws.com", "pods.eks.amazonaws.com"]), context));
        Assert.True(PolicyEvaluator.ConditionMatches(new PolicyCondition("StringLike", "iam:PassedToService", ["*.eks.amazonaws.com"]), context));
    }

    [Fact]
    public void Condition_AbsentKey_FalseForPositive_TrueForNegatedAndIfExists_NullTestsPresence()
    {
        var empty = RequestContext.Empty;

        Assert.False(PolicyEvaluator.ConditionMatches(new PolicyCondition("StringEquals", "aws:RequestTag/team", ["a"]), empty));
        Assert.True(PolicyEvaluator.ConditionMatches(new PolicyCondition("StringNotEquals", "aws:RequestTag/team", ["a"]), empty));
        Assert.True(PolicyEvaluator.ConditionMatches(new PolicyCondition("StringEqualsIfExists", "aws:RequestTag/team", ["a"]), empty));
        Assert.True(PolicyEvaluator.ConditionMatches(new PolicyCondition("Null", "aws:RequestTag/team", ["true"]), empty));
        Assert.False(PolicyEvaluator.ConditionMatches(new PolicyCondition("Null", "aws:RequestTag/team", ["false"]), empty));
        Assert.True(PolicyEvaluator.ConditionMatches(new PolicyCondition("Null", "aws:RequestTag/team", ["false"]), empty.With("aws:RequestTag/team", "a")));
    }

    [Fact]
    public void Condition_SetOperators_OnTagKeys()
    {
        var two = RequestContext.Empty.WithRequestTags(new Dictionary<string, string> { ["team"] = "a", ["cost"] = "b" });
        var none = RequestContext.Empty;

        Assert.True(PolicyEvaluator.ConditionMatches(new PolicyCondition("ForAnyValue:StringEquals", "aws:TagKeys", ["team"]), two));
        Assert.False(PolicyEvaluator.ConditionMatches(new PolicyCondition("ForAllValues:StringEquals", "aws:TagKeys", ["team"]), two));
        Assert.True(PolicyEvaluator.ConditionMatches(new PolicyCondition("ForAllValues:StringEquals", "aws:TagKeys", ["team", "cost", "owner"]), two));
        // ForAllValues is true for no values at all; ForAnyValue false.
        Assert.True(PolicyEvaluator.ConditionMatches(new PolicyCondition("ForAllValues:StringEquals", "aws:TagKeys", ["team"]), none));
        Assert.False(PolicyEvaluator.ConditionMatches(new PolicyCondition("ForAnyValue:StringEquals", "aws:TagKeys", ["team"]), none));
    }

    [Fact]
    public void Condition_ArnLike_MatchesSegmentBySegment()
    {
        var context = RequestContext.Empty.With("aws:SourceArn", "arn:aws:events:ap-northeast-2:111122223333:rule/bluegreen-dev-restore-blue-on-abnormal-end");

        Assert.True(PolicyEvaluator.ConditionMatches(new PolicyCondition("ArnLike", "aws:SourceArn", ["arn:aws:events:*:111122223333:rule/bluegreen-dev-*"]), context));
        Assert.False(PolicyEvaluator.ConditionMatches(new PolicyCondition("ArnLike", "aws:SourceArn", ["arn:aws:events:*:444455556666:rule/*"]), context));
    }

    [Fact]
    public void Condition_AnOperatorTheSimulatorDoesNotKnow_IsNeverSilentlyTrue() =>
        Assert.Throws<NotSupportedException>(() => PolicyEvaluator.ConditionMatches(new PolicyCondition("DateGreaterThan", "aws:CurrentTime", ["2020-01-01T00:00:00Z"]), RequestContext.Empty.With("aws:CurrentTime", "2026-01-01T00:00:00Z")));

    [Fact]
    public void Parse_ABrokenPolicy_ListsEveryProblem()
    {
        var e = Assert.Throws<FormatException>(() => Policy("""[{"Effect":"Maybe","Resource":"*"},{"Effect":"Allow","Action":"s3:*"}]"""));

        Assert.Contains("Effect must be Allow or Deny", e.Message, StringComparison.Ordinal);
        Assert.Contains("Statement[0]: give exactly one of Action and NotAction", e.Message, StringComparison.Ordinal);
        Assert.Contains("Statement[1]: give exactly one of Resource and NotResource", e.Message, StringComparison.Ordinal);
    }
}
