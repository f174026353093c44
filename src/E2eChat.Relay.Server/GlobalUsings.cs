global using E2eChat.Relay.Server.Addressing;
global using E2eChat.Relay.Server.Auth;
global using E2eChat.Relay.Server.Errors;
global using E2eChat.Relay.Server.Storage;
global using E2eChat.Wire;
global using Google.Protobuf;
global using Grpc.Core;
