using LstmGen.Generator.Model;

namespace LstmGen.Generator.Emitting
{
    /// <summary>Opens and closes the namespace and containing types the target's partial declaration sits in.</summary>
    internal static class TargetScope
    {
        /// <summary>Writes the opening lines; returns how many blocks <see cref="Close"/> must close.</summary>
        public static int Open(IndentedWriter w, TargetSpec target)
        {
            int depth = 0;
            if (target.Namespace is not null)
            {
                w.Line($"namespace {target.Namespace}");
                w.Line("{");
                w.Indent();
                depth++;
            }
            foreach (string containing in target.ContainingTypes)
            {
                w.Line(containing);
                w.Line("{");
                w.Indent();
                depth++;
            }
            return depth;
        }

        public static void Close(IndentedWriter w, int depth)
        {
            for (; depth > 0; depth--)
            {
                w.Outdent();
                w.Line("}");
            }
        }
    }
}
