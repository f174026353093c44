// The namespaces most vector generators use: the vectors' JSON, and the library's keys and random sources.
global using System.Text.Json.Nodes;
global using E2eChat.Crypto;
