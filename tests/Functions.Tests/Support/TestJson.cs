using System.Text.Json.Serialization;

namespace BlueGreen.Functions.Tests.Support;

/// <summary>Source-generated metadata for the few values tests serialize themselves.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class TestJson : JsonSerializerContext;
