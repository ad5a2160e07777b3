namespace LstmGen.Generator.Model
{
    /// <summary>An AdditionalFiles item that may hold a model: its path and text (null when unreadable).</summary>
    internal sealed record WeightsFile(string Path, string? Text);
}
