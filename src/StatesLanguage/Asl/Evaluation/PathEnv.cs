using BlueGreen.Simulator.Asl.Intrinsics;
using BlueGreen.Simulator.Asl.Paths;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Evaluation;

/// <summary>What <c>$$</c>, <c>$variable</c> and the seeded random functions resolve against.</summary>
public interface IPathContext
{
    /// <summary>The context object (<c>$$</c>), built on first use.</summary>
    JValue ContextObject { get; }

    Random Random { get; }

    bool TryGetVariable(string name, out JValue value);
}

/// <summary>The inputs a path sees: <c>$</c> is <see cref="Data"/>; the rest comes from <see cref="Context"/>.</summary>
public readonly record struct PathEnv(JValue Data, IPathContext Context)
{
    public bool TrySelect(JsonPath path, out JValue value)
    {
        switch (path.Root)
        {
            case PathRoot.Data:
                return path.TrySelect(Data, out value);
            case PathRoot.Context:
                return path.TrySelect(Context.ContextObject, out value);
            default:
                if (Context.TryGetVariable(path.VariableName!, out var root))
                {
                    return path.TrySelect(root, out value);
                }

                value = JNull.Instance;
                return false;
        }
    }

    /// <summary>Selects or fails the way Step Functions does for an unresolvable path (<c>States.Runtime</c>).</summary>
    public JValue Select(JsonPath path, string fieldDescription)
    {
        if (TrySelect(path, out var value))
        {
            return value;
        }

        throw new StatesException(StatesErrors.Runtime, path.Root == PathRoot.Variable && !Context.TryGetVariable(path.VariableName!, out _)
            ? $"The variable '${path.VariableName}' referenced by {fieldDescription} is not defined."
            : $"The JSONPath '{path.Text}' specified for {fieldDescription} could not be found in the input '{DescribeRoot(path)}'");
    }

    public JValue Evaluate(IntrinsicCall call)
    {
        var env = this;
        return IntrinsicFunctions.Evaluate(call, p => env.Select(p, $"an argument of '{call.Name}'"), Context.Random);
    }

    private string DescribeRoot(JsonPath path) => path.Root switch
    {
        PathRoot.Context => Truncate(Context.ContextObject.ToJson()),
        PathRoot.Variable => Context.TryGetVariable(path.VariableName!, out var v) ? Truncate(v.ToJson()) : "null",
        _ => Truncate(Data.ToJson()),
    };

    private static string Truncate(string json) => json.Length <= 2048 ? json : json[..2048] + "...";
}
