global using E2eChat.Relay.Server.Addressing;
