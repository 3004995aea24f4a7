namespace Marquee.Simulators.Plex.Model;

public sealed record SectionInfo(int Id, string Title, string Type, string Agent, string Scanner, string Uuid, string Path, bool SharedWithFriends);
