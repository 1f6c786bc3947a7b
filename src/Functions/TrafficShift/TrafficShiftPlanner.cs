using System.Globalization;
using BlueGreen.Functions.Planning;
using BlueGreen.Functions.Traffic;

namespace BlueGreen.Functions.TrafficShift;

/// <summary>
/// Builds the one API call that puts a given share of traffic on Green, through the plan's traffic provider.
///
/// Percent to weight: Green's weight is the percent and Blue's is 100 minus it. The weights always sum to 100, so each
/// weight is exactly that side's share whatever the provider's range (ALB 0..999, Route 53 0..255); 0 sends a side no
/// traffic, and the two are never both 0 (Route 53 would then answer with every record equally).
/// </summary>
public static class TrafficShiftPlanner
{
    public static TrafficShiftPlan Plan(PlanTrafficShiftRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = request.Plan;
        int percent;
        if (request.Rollback)
        {
            percent = 0;
        }
        else if (request.GreenPercent is not { } requested)
        {
            throw new InvalidInput("greenPercent: required unless rollback is true");
        }
        else if (requested is < 0 or > 100)
        {
            throw new InvalidInput($"greenPercent: must be between 0 and 100, not {requested}");
        }
        else
        {
            percent = requested;
        }

        return TrafficProviders.For(plan.Traffic).PlanShift(plan.Traffic, request.Current, new WeightSplit(percent, request.Rollback), Describe(plan, percent, request.Rollback));
    }

    private static string Describe(UpgradePlan plan, int percent, bool rollback) => rollback
        ? $"eks-bluegreen {plan.RunId}: roll back, 100% to Blue ({plan.BlueClusterName})"
        : string.Create(CultureInfo.InvariantCulture, $"eks-bluegreen {plan.RunId}: {percent}% to Green ({plan.GreenClusterName}), {100 - percent}% to Blue ({plan.BlueClusterName})");
}
