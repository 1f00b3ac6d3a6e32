"""The prompting synapses as subnet 1's repositories defined them (opentensor/text-prompting, opentensor/prompting)."""
from typing import AsyncIterator, ClassVar, List, Tuple

import bittensor as bt
import pydantic
from starlette.responses import StreamingResponse


class Prompting(bt.Synapse):
    roles: List[str] = pydantic.Field(..., frozen=True)
    messages: List[str] = pydantic.Field(..., frozen=True)
    completion: str = ""
    required_hash_fields: ClassVar[Tuple[str, ...]] = ("messages",)

    def deserialize(self) -> str:
        return self.completion


class StreamPromptingSynapse(bt.StreamingSynapse):
    roles: List[str] = pydantic.Field(..., frozen=True)
    messages: List[str] = pydantic.Field(..., frozen=True)
    completion: str = ""
    required_hash_fields: ClassVar[Tuple[str, ...]] = ("messages",)

    async def process_streaming_response(self, response: StreamingResponse) -> AsyncIterator[str]:
        if self.completion is None:
            self.completion = ""
        async for chunk in response.content.iter_any():
            tokens = chunk.decode("utf-8")
            self.completion = self.completion + tokens
            yield tokens

    def deserialize(self) -> str:
        return self.completion

    def extract_response_json(self, response: StreamingResponse) -> dict:
        headers = {k.decode("utf-8"): v.decode("utf-8") for k, v in response.__dict__["_raw_headers"]}
        return {"name": headers.get("name", ""), "completion": self.completion, "roles": self.roles,
                "messages": self.messages}
