using System.Text.Json.Serialization;

namespace E2eChat.Client;

/// <summary>The JSON form of the rows of <c>groups.db</c> (before sealing), generated at build time.</summary>
[JsonSerializable(typeof(GroupRecord))]
[JsonSerializable(typeof(StatusRecord))]
internal sealed partial class GroupStateJson : JsonSerializerContext
{
}
