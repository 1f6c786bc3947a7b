using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// The values of an Assign, evaluated when the state ran and applied to its variable scope only when it
/// completes (<see cref="DataFlow.Assign"/>); the default applies nothing.
/// </summary>
internal readonly record struct PendingAssignment(JObject? Values)
{
    public void Apply(VariableScope scope)
    {
        if (Values is null)
        {
            return;
        }

        foreach (var (name, value) in Values)
        {
            scope.Set(name, value);
        }
    }
}
