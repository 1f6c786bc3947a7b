using System.Text.Json.Serialization;

namespace BlueGreen.Functions.Aws;

/// <summary>
/// The parameters of the one API call that changes traffic weights, written exactly as the SDK integration takes them:
/// the provider's adapter passes the object on unchanged (<c>InputPath: $.change.request</c>). Serialized as the
/// derived type (no discriminator: AWS would refuse an unknown member); nothing reads one back.
/// </summary>
[JsonDerivedType(typeof(ModifyRuleRequest))]
[JsonDerivedType(typeof(ModifyListenerRequest))]
[JsonDerivedType(typeof(ChangeResourceRecordSetsRequest))]
public abstract record TrafficApiRequest;
