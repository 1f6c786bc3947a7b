using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>What a state hands back to the state loop: its output and the next state (null: the machine ends).</summary>
internal readonly record struct StateResult(JValue Output, string? Next);
