namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>The fields read the same way for every kind of state, before its own loader runs.</summary>
internal sealed record StateHeader(string Name, string Type, string? Next, bool End, PathField InputPath, PathField OutputPath, PayloadTemplate? Assign);
