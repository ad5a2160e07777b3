namespace LstmGen.Generator
{
    /// <summary>Names of the pipeline steps, so tests can assert each one's run reason (Cached / Unchanged).</summary>
    internal static class TrackingNames
    {
        public const string Targets = "LstmGen.Targets";
        public const string WeightsFiles = "LstmGen.WeightsFiles";
        public const string TargetShapes = "LstmGen.TargetShapes";
        public const string LocatedModels = "LstmGen.LocatedModels";
        public const string Models = "LstmGen.Models";
        public const string Diagnostics = "LstmGen.Diagnostics";
        public const string StringBudget = "LstmGen.StringBudget";
        public const string Plans = "LstmGen.Plans";
    }
}
