namespace LstmGen.Generator
{
    /// <summary>
    /// The sizes LstmGen accepts, so a hostile or mistaken file gets a diagnostic within seconds instead of
    /// hanging the build or exhausting memory. Documented in the README's "Limits" section.
    /// </summary>
    internal static class ModelLimits
    {
        /// <summary>Largest weights file, in UTF-16 characters (a 4M-parameter model written by json.dump is about 45M).</summary>
        public const int MaxFileChars = 64 * 1024 * 1024;

        /// <summary>Most weights in one model: about 60 MB of generated source and a build of a few minutes.</summary>
        public const int MaxParameters = 4 * 1024 * 1024;

        /// <summary>Deepest nesting of JSON arrays and objects (weights need 2 or 3; Keras configs about 8).</summary>
        public const int MaxJsonDepth = 256;

        /// <summary>Most units in one layer.</summary>
        public const int MaxUnits = 65536;

        /// <summary>Most timesteps a fixed-length model may declare.</summary>
        public const int MaxTimesteps = 10_000_000;
    }
}
