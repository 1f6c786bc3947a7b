using BlueGreen.Functions.Common;

namespace BlueGreen.Functions.Traffic;

/// <summary>
/// One way traffic reaches Blue and Green: everything the decisions know about it. The state machines never branch on
/// the provider: they start its adapter (<c>statemachines/traffic-{Type}.asl.json</c>), which reads the wiring or makes the
/// one API call <see cref="PlanShift"/> prepared. docs/adding-a-traffic-provider.md lists what a new one touches.
/// </summary>
internal interface ITrafficProvider
{
    /// <summary>The execution input's <c>traffic.type</c>, and the adapter's name suffix.</summary>
    string Type { get; }

    /// <summary>The members of the input's <c>traffic</c> object this provider reads (besides <c>type</c>).</summary>
    IReadOnlyList<string> Members { get; }

    /// <summary>Validates the input's <c>traffic</c> object, reporting every problem; null when it cannot be used.</summary>
    TrafficPlan? Read(JsonFields traffic, ProblemList problems);

    /// <summary>Green's target group whose healthy targets the health check counts, when the provider names one.</summary>
    string? GreenTargetGroupArn(TrafficPlan traffic);

    /// <summary>The ARNs the plan names, with the input field each came from (preflight checks their account and Region).</summary>
    IEnumerable<(string Field, string Arn)> NamedArns(TrafficPlan traffic);

    /// <summary>
    /// The one API call that gives Green <paramref name="split"/>'s share, from the wiring as read now; TrafficTargetNotFound
    /// when the wiring cannot be split between exactly Blue and Green.
    /// </summary>
    TrafficShiftPlan PlanShift(TrafficPlan traffic, TrafficReading? current, WeightSplit split, string description);

    /// <summary>
    /// Whether the deployment may change this wiring (<paramref name="requiredTag"/>, the tag its role's conditions require:
    /// a problem when missing) and whether a controller owns it and would revert every weight (added to
    /// <paramref name="controlled"/>, with what to do instead).
    /// </summary>
    void CheckOwnership(TrafficPlan traffic, TrafficReading? current, TagFact? requiredTag, List<string> problems, List<string> controlled);

    /// <summary>How long clients may keep following the old weights after a change (DNS caching); 0 when a change applies at once.</summary>
    int CachedForSeconds(TrafficPlan traffic, TrafficReading? current);

    /// <summary>What the decommission needs to find Blue's share again.</summary>
    BlueShare BlueShareOf(TrafficPlan traffic);

    /// <summary>The state transitions the adapter's <c>apply</c> takes for one change, as measured in the rehearsal (the plan's cost estimate).</summary>
    int TransitionsPerChange { get; }

    /// <summary>Whether Blue still gets traffic, from the wiring as read now; when in doubt, it does.</summary>
    BlueTrafficVerdict CheckBlue(BlueShare blue, TrafficReading? current, string cluster, string replacedBy);

    /// <summary>
    /// Which sides get a share of the traffic, from the wiring as read now: Blue's and Green's shares each checked as
    /// <see cref="CheckBlue"/> checks Blue's (when in doubt, a side serves). Both: the traffic is split.
    /// </summary>
    TrafficSides Serving(TrafficPlan traffic, TrafficReading? current);

    /// <summary>
    /// Green's share of the traffic as read now (0 to 100), or null when the reading cannot say (the wiring has no single
    /// split between Blue and Green, or a weight ELBv2 does not document): what a failed weight change left in force.
    /// </summary>
    double? GreenPercentNow(TrafficPlan traffic, TrafficReading? current);

    /// <summary>What preflight should tell the operator about this wiring that does not stop the upgrade.</summary>
    IEnumerable<string> Warnings(TrafficPlan traffic, TrafficReading? current);
}

/// <summary>Whether Blue and Green each get a share of the traffic now.</summary>
public sealed record TrafficSides(bool Blue, bool Green)
{
    public bool Split => Blue && Green;
}

/// <summary>The typed side of a provider: each call gets the provider's own plan, share and reading, or fails with InvalidInput for another's.</summary>
internal abstract class TrafficProvider<TPlan, TShare, TReading> : ITrafficProvider
    where TPlan : TrafficPlan
    where TShare : BlueShare
    where TReading : TrafficReading, new()
{
    public abstract string Type { get; }

    public abstract IReadOnlyList<string> Members { get; }

    public abstract int TransitionsPerChange { get; }

    public abstract TrafficPlan? Read(JsonFields traffic, ProblemList problems);

    public string? GreenTargetGroupArn(TrafficPlan traffic) => GreenTargetGroupArn(Own(traffic));

    public IEnumerable<(string Field, string Arn)> NamedArns(TrafficPlan traffic) => NamedArns(Own(traffic));

    public TrafficShiftPlan PlanShift(TrafficPlan traffic, TrafficReading? current, WeightSplit split, string description) =>
        PlanShift(Own(traffic), Own(current), split, description);

    public void CheckOwnership(TrafficPlan traffic, TrafficReading? current, TagFact? requiredTag, List<string> problems, List<string> controlled) =>
        CheckOwnership(Own(traffic), Own(current), requiredTag, problems, controlled);

    public int CachedForSeconds(TrafficPlan traffic, TrafficReading? current) => CachedForSeconds(Own(traffic), Own(current));

    public BlueShare BlueShareOf(TrafficPlan traffic) => BlueShareOf(Own(traffic));

    public BlueTrafficVerdict CheckBlue(BlueShare blue, TrafficReading? current, string cluster, string replacedBy) =>
        blue is TShare own ? CheckBlue(own, Own(current), cluster, replacedBy) : throw new InvalidInput($"traffic.type: {blue.Type} is not {Type}");

    public TrafficSides Serving(TrafficPlan traffic, TrafficReading? current)
    {
        var (plan, reading) = (Own(traffic), Own(current));
        return new TrafficSides(
            CheckBlue(BlueShareOf(plan), reading, "Blue", "Green").ServesTraffic,
            CheckBlue(GreenShareOf(plan), reading, "Green", "Blue").ServesTraffic);
    }

    public double? GreenPercentNow(TrafficPlan traffic, TrafficReading? current) => GreenPercentNow(Own(traffic), Own(current));

    public IEnumerable<string> Warnings(TrafficPlan traffic, TrafficReading? current) => Warnings(Own(traffic), Own(current));

    /// <summary>None unless the provider knows of something.</summary>
    protected virtual IEnumerable<string> Warnings(TPlan traffic, TReading current) => [];

    protected abstract double? GreenPercentNow(TPlan traffic, TReading current);

    /// <summary>Green's weight as a share of every weight that gets traffic; null when they are all 0 or unknown.</summary>
    protected static double? Share(double green, double total) => total > 0 ? Math.Round(100 * green / total, 2) : null;

    protected abstract string? GreenTargetGroupArn(TPlan traffic);

    protected abstract IEnumerable<(string Field, string Arn)> NamedArns(TPlan traffic);

    protected abstract TrafficShiftPlan PlanShift(TPlan traffic, TReading current, WeightSplit split, string description);

    protected abstract void CheckOwnership(TPlan traffic, TReading current, TagFact? requiredTag, List<string> problems, List<string> controlled);

    protected abstract int CachedForSeconds(TPlan traffic, TReading current);

    protected abstract TShare BlueShareOf(TPlan traffic);

    /// <summary>Green's share in the same shape as Blue's (<see cref="BlueShareOf"/> with the sides swapped), to ask whether Green serves.</summary>
    protected abstract TShare GreenShareOf(TPlan traffic);

    protected abstract BlueTrafficVerdict CheckBlue(TShare blue, TReading current, string cluster, string replacedBy);

    /// <summary>A weight the provider's API accepts: the share itself (the two always sum to 100).</summary>
    protected static void CheckWeight(string side, int weight, int max)
    {
        if (weight < 0 || weight > max)
        {
            throw new InvalidInput($"{side} weight {weight} is outside the allowed range 0..{max}");
        }
    }

    private TPlan Own(TrafficPlan traffic) => traffic as TPlan ?? throw new InvalidInput($"plan.traffic.type: {traffic.Type} is not {Type}");

    /// <summary>The provider's own reading; nothing read is an empty one (each provider says what it cannot do without).</summary>
    private TReading Own(TrafficReading? current) => current switch
    {
        null => new TReading(),
        TReading own => own,
        _ => throw new InvalidInput($"current.type: {current.Type} was read, not {Type} (pass the output of the traffic-{Type} adapter)"),
    };
}
