using System.Collections.Generic;
using System.Linq;
using System.Threading;
using LstmGen.Generator.Diagnostics;
using LstmGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LstmGen.Generator
{
    /// <summary>
    /// Reduces a class carrying [LstmModel] to a <see cref="TargetSpec"/> of plain values; the symbol and the
    /// syntax stop here and never enter the cached pipeline.
    /// </summary>
    internal static class TargetReader
    {
        public const string AttributeName = "LstmGen.LstmModelAttribute";

        public static TargetSpec Read(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var symbol = (INamedTypeSymbol)context.TargetSymbol;
            var syntax = (TypeDeclarationSyntax)context.TargetNode;
            AttributeData attribute = context.Attributes[0];
            cancellationToken.ThrowIfCancellationRequested();

            string? path = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
            bool unroll = false;
            string? weights = null;
            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                if (named.Key == "Unroll" && named.Value.Value is bool b) unroll = b;
                if (named.Key == "Weights" && named.Value.Value is string w) weights = w;
            }

            LocationInfo? pathLocation = PathArgumentLocation(attribute) ?? LocationInfo.From(syntax.Identifier.GetLocation());
            var diagnostics = new List<DiagnosticInfo>();
            string typeName = symbol.Name;

            // Every part of the chain must be partial for the generated part to merge in.
            for (INamedTypeSymbol? type = symbol; type is not null; type = type.ContainingType)
            {
                if (type.IsGenericType)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TargetGeneric, LocationInfo.From(syntax.Identifier.GetLocation()), symbol.ToDisplayString()));
                    break;
                }
            }
            for (INamedTypeSymbol? type = symbol; type is not null; type = type.ContainingType)
            {
                if (!IsPartial(type, cancellationToken))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TargetNotPartial, LocationInfo.From(syntax.Identifier.GetLocation()), type.ToDisplayString()));
                    break;
                }
            }

            var containing = new List<string>();
            for (INamedTypeSymbol? type = symbol.ContainingType; type is not null; type = type.ContainingType)
            {
                containing.Insert(0, Declaration(type));
            }

            string? ns = symbol.ContainingNamespace.IsGlobalNamespace ? null : symbol.ContainingNamespace.ToDisplayString();
            string fullName = symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            return new TargetSpec(
                ns,
                containing.ToEquatableArray(),
                Declaration(symbol),
                typeName,
                fullName,
                path,
                unroll,
                weights,
                syntax.SyntaxTree.FilePath,
                pathLocation,
                diagnostics.ToEquatableArray(),
                syntax.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp12 });
        }

        private static LocationInfo? PathArgumentLocation(AttributeData attribute)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax syntax
                && syntax.ArgumentList is { Arguments.Count: > 0 } arguments)
            {
                return LocationInfo.From(arguments.Arguments[0].GetLocation());
            }
            return null;
        }

        private static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
            => type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t
                && t.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)));

        private static string Declaration(INamedTypeSymbol type)
        {
            string keyword = type.TypeKind switch
            {
                TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
                TypeKind.Interface => "interface",
                _ => type.IsRecord ? "record" : "class",
            };
            string modifiers = type.IsStatic ? "static partial" : "partial";
            return $"{modifiers} {keyword} {type.Name}";
        }
    }
}
