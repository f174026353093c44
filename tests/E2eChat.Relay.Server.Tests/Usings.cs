global using E2eChat.Relay.Server.Tests.Infrastructure;
global using Microsoft.AspNetCore.Builder;
global using E2eChat.Wire;
