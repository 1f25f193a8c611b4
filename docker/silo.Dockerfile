# The Edge.Actors silo. Build from the repository root:
#   docker build -f docker/silo.Dockerfile -t edge-actors/silo .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so a code change does not invalidate the package layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Abstractions/Edge.Actors.Abstractions.csproj src/Abstractions/
COPY src/EventStore/Edge.Actors.EventStore.csproj src/EventStore/
COPY src/Grains/Edge.Actors.Grains.csproj src/Grains/
COPY src/Silo/Edge.Actors.Silo.csproj src/Silo/
RUN dotnet restore src/Silo/Edge.Actors.Silo.csproj
COPY src/ src/
RUN dotnet publish src/Silo/Edge.Actors.Silo.csproj --configuration Release --no-restore --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# Not root: a silo needs no privileges, and its SQLite folder (when used) must be writable by this user.
USER app
# Silo-to-silo and Orleans client ports.
EXPOSE 11111 30000
ENTRYPOINT ["dotnet", "Edge.Actors.Silo.dll"]
