// The app's one TanStack Query client: fetching, caching and invalidation
// of what the backend answers. Hooks pass it explicitly (useQuery's second
// argument), so components work without a provider, in the app and in tests
// alike; tests clear it after each case (src/test/setup.ts).
import { QueryClient } from "@tanstack/react-query";

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Errors are shown at once with their own Retry; the backend already retries where it makes sense.
      retry: false,
      // A desktop window regains focus often; nothing here should refetch for that.
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
    },
  },
});
