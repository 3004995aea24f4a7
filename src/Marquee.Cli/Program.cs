Console.WriteLine("marquee");
