/// English function words that carry no topic: dropped from questions and patterns.
///
/// Kept short on purpose: words such as "who", "own" or "first" can carry meaning
/// in this domain and are left in.
public enum StopWords {
    /// The stop words, already case-folded.
    public static let english: Set<String> = [
        "a", "about", "actually", "all", "also", "am", "an", "and", "any", "anything",
        "are", "as", "at", "be", "been", "being", "but", "by", "can", "could", "did",
        "do", "does", "doing", "each", "else", "even", "ever", "for", "from", "get",
        "gets", "give", "go", "had", "has", "have", "having", "he", "her", "here",
        "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
        "just", "kind", "know", "let", "lets", "like", "may", "me", "mean", "meaning",
        "means", "might", "mine", "more", "most", "much", "must", "my", "myself",
        "need", "needs", "no", "not", "now", "of", "off", "oh", "ok", "okay", "on",
        "one", "only", "or", "other", "our", "ours", "ourselves", "out", "over",
        "please", "quite", "really", "said", "say", "says", "she", "should", "so",
        "some", "something", "sort", "such", "tell", "than", "that", "the", "their",
        "theirs", "them", "then", "there", "these", "they", "thing", "things", "this",
        "those", "through", "to", "too", "up", "us", "very", "was", "we", "well",
        "were", "what", "whatever", "whats", "when", "whenever", "where", "wherever", "which", "while",
        "who", "whoever", "whom", "whose", "why", "will", "with", "would", "yeah", "yes", "you", "your", "yours",
        "yourself",
    ]

    /// Contractions expanded before stop words are removed ("don't" gives "do not").
    public static let contractions: [String: [String]] = [
        "can't": ["can", "not"], "cannot": ["can", "not"], "won't": ["will", "not"],
        "shan't": ["shall", "not"], "ain't": ["is", "not"], "let's": ["let", "us"],
        "i'm": ["i", "am"], "it's": ["it", "is"], "what's": ["what", "is"],
        "who's": ["who", "is"], "that's": ["that", "is"], "there's": ["there", "is"],
        "here's": ["here", "is"], "how's": ["how", "is"], "where's": ["where", "is"],
        "he's": ["he", "is"], "she's": ["she", "is"],
    ]

    /// Suffixes of contractions, used when the whole word is not in `contractions`.
    public static let contractionSuffixes: [(suffix: String, expansion: String)] = [
        ("n't", "not"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'d", "would"),
        ("'m", "am"), ("'s", ""),
    ]
}
