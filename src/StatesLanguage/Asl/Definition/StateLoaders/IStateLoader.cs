using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// Loads one kind of state (one <c>Type</c>), after <see cref="StateLoader"/> has read the fields
/// every state shares; problems go to the context, and the state is built from what is usable.
/// </summary>
internal interface IStateLoader
{
    /// <summary>The value of the state's <c>Type</c> field.</summary>
    string Type { get; }

    /// <summary>The fields this kind of state may have besides Type, Comment and QueryLanguage.</summary>
    IReadOnlySet<string> Fields { get; }

    /// <summary>The state, or null when a part it cannot do without (a Map's item processor) is unusable.</summary>
    State? Load(StateHeader header, JObject o, string location, LoadContext context);
}
