namespace QualityScan.Analyzers.Rules;

/// <summary>The shipped messages the checks use, loaded once from <see cref="RulePackLoader.DefaultDirectory"/>.</summary>
public static class MessageCatalogs
{
    private static readonly Lazy<MessageCatalog> LazyEnglish = new(() => MessageCatalogLoader.LoadForLanguage("en", MessageKeys.Schema));

    /// <summary>The English messages (<c>Rules/messages.en.yaml</c>); a broken file throws <see cref="RulePackException"/> on first use.</summary>
    public static MessageCatalog English => LazyEnglish.Value;
}
